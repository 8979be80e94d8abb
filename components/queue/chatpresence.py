"""A chat's own JID as a contact: online, with a readable name, to the staff it is offered to.

Stock clients show a JID that never sent presence as offline, under its local part
(`chat-5d1f…`), and Gajim offers ad-hoc commands only for contacts it sees online. So the
chat's JID sends directed presence to the librarians it is offered to, and names itself
(the patron's name if given, the library and the widget) with a XEP-0172 nick, in the PEP
event form poezio and Gajim read; it goes offline for everyone else once claimed, and for
the claimant once ended.
"""

from __future__ import annotations

from slixmpp import ComponentXMPP
from slixmpp.xmlstream import ET

NICK = "http://jabber.org/protocol/nick"
PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
MAX_STATUS_CHARS = 120


class ChatPresence:
    def __init__(self, xmpp: ComponentXMPP) -> None:
        self._xmpp = xmpp
        self._shown: dict[str, set[str]] = {}
        """Chat JID -> the bare JIDs it is online to."""

    def show(self, chat_jid: str, to: str, name: str, status: str) -> None:
        presence = self._xmpp.make_presence(pto=to, pfrom=chat_jid, pstatus=_short(status))
        ET.SubElement(presence.xml, f"{{{NICK}}}nick").text = name
        presence.send()
        if to not in self._shown.setdefault(chat_jid, set()):
            self._shown[chat_jid].add(to)
            self._name(chat_jid, to, name)

    def hide(self, chat_jid: str, keep: str | None = None) -> None:
        """Offline to everyone it was shown to, except `keep` (the claimant)."""
        shown = self._shown.pop(chat_jid, set())
        for to in shown - {keep}:
            self._xmpp.make_presence(pto=to, pfrom=chat_jid, ptype="unavailable").send()
        if keep in shown:
            self._shown[chat_jid] = {keep}

    def subscription(self, chat_jid: str, to: str, allowed: bool) -> None:
        """Answer a librarian's request to add the chat to their contacts."""
        self._xmpp.make_presence(
            pto=to, pfrom=chat_jid, ptype="subscribed" if allowed else "unsubscribed").send()

    def _name(self, chat_jid: str, to: str, name: str) -> None:
        message = self._xmpp.make_message(to, mtype="headline", mfrom=chat_jid)
        event = ET.SubElement(message.xml, f"{{{PUBSUB_EVENT}}}event")
        items = ET.SubElement(event, f"{{{PUBSUB_EVENT}}}items", {"node": NICK})
        item = ET.SubElement(items, f"{{{PUBSUB_EVENT}}}item")
        ET.SubElement(item, f"{{{NICK}}}nick").text = name
        message.send()


def waiting_status(question: str) -> str:
    """The status a waiting chat shows the librarians it is offered to."""
    return f"Waiting: {question}"


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_STATUS_CHARS else line[:MAX_STATUS_CHARS - 1] + "…"
