"""Silent supervision of a library's chats by its admins.

From the issue: "an Institution Admin can watch a chat of their library silently and leave
internal notes on it that the patron never sees". A supervisor is an operator of the
patron's library who is its local admin, or holds institution-admin or coop-admin level at
that library in a co-op registry the queue follows. While supervising, every later line of
the chat (patron, librarian, note, system) is copied to them; the patron is never told.
Supervision ends with unsupervise, when the chat ends, when the supervisor's client goes
offline (after directed presence to the chat) or a copy bounces. It is kept in
memory: a restarted queue forgets it, and the admin supervises again.
"""

from __future__ import annotations

from collections.abc import Callable

from slixmpp import JID

from components.queue.console.deskinfo import is_admin
from components.queue.desk import Desk
from components.queue.staffwire import line_element, line_text
from refdesk.db.models import ChatState, Sender
from refdesk.db.stores.chats import ChatRecord, ChatStore, Line
from refdesk.errors import Conflict, NotFound

NO_SUCH_CHAT = "There is no such chat."
"""What anyone not entitled is told: the same as for a chat that does not exist."""
OPEN_STATES = (ChatState.WAITING, ChatState.ACTIVE)


class WatchedChatStore(ChatStore):
    """The chat store, telling `appended` of every transcript line it keeps: whoever writes
    it (relay, claim, transfer, ending), a supervisor gets a copy."""

    appended: Callable[[str, Line], None] = staticmethod(lambda chat_id, line: None)

    async def append(self, chat_id: str, sender: Sender, body: str,
                     sender_jid: str | None = None, nick: str | None = None,
                     message_id: str | None = None, script: str | None = None) -> Line | None:
        line = await super().append(chat_id, sender, body, sender_jid, nick, message_id,
                                    script)
        if line is not None:
            self.appended(chat_id, line)
        return line


class Supervision:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._supervisors: dict[str, set[str]] = {}
        """Chat id -> full JIDs of its supervisors' clients."""

    async def supervise(self, chat_id: str, who: JID) -> None:
        chat = await self.desk.get(chat_id)
        if not is_admin(self.desk.directory, self.desk.coops, who.bare):
            raise NotFound(NO_SUCH_CHAT)
        if chat.state not in OPEN_STATES:
            raise Conflict("This chat has ended.")
        self._supervisors.setdefault(chat_id, set()).add(who.full)

    async def unsupervise(self, chat_id: str, who: JID) -> None:
        await self.desk.get(chat_id)
        if not self._drop(chat_id, lambda jid: jid == who.full):
            raise NotFound(NO_SUCH_CHAT)  # not supervising it: nothing to learn either

    def is_supervisor(self, chat_id: str, bare: str) -> bool:
        return any(JID(jid).bare == bare for jid in self._supervisors.get(chat_id, ()))

    async def staff_chat(self, chat_id: str, who: JID) -> ChatRecord:
        """The chat, for its claimant or a supervisor; "no such chat" for anyone else."""
        chat = await self.desk.get(chat_id)
        if who.bare != chat.claimed_by and not self.is_supervisor(chat_id, who.bare):
            raise NotFound(NO_SUCH_CHAT)
        return chat

    def line_added(self, chat_id: str, line: Line) -> None:
        """Copy a new transcript line to the chat's supervisors (not to the one who wrote
        it)."""
        writer = JID(line.sender_jid).bare if line.sender_jid else None
        for supervisor in sorted(self._supervisors.get(chat_id, ())):
            if JID(supervisor).bare != writer:
                self.send_line(chat_id, supervisor, line)

    def send_line(self, chat_id: str, to: str, line: Line) -> None:
        chat_jid = self.desk.chat_jid(chat_id)
        message = self.desk.outbox.chat_message(chat_jid, to, line_text(line))
        message.xml.append(line_element(line, chat_jid))
        message.send()

    def finishing(self, then: Callable[[ChatRecord], None]) -> Callable[[ChatRecord], None]:
        """A `Desk.finished` that ends the chat's supervision before calling `then`."""
        def finished(chat: ChatRecord) -> None:
            self._supervisors.pop(chat.id, None)
            then(chat)
        return finished

    def gone(self, chat_id: str, who: JID) -> bool:
        """That client of a supervisor went offline (its server said so, after the directed
        presence a console sends when it supervises): no more copies to it."""
        return self._drop(chat_id, lambda jid: jid == who.full)

    def bounced(self, chat_id: str, sender: JID) -> bool:
        """A copy to a supervisor bounced: they supervise it no more. False if the error was
        not from a supervisor."""
        return self._drop(chat_id, lambda jid: JID(jid).bare == sender.bare)

    def _drop(self, chat_id: str, which: Callable[[str], bool]) -> bool:
        supervisors = self._supervisors.get(chat_id, set())
        dropped = {jid for jid in supervisors if which(jid)}
        supervisors -= dropped
        if not supervisors:
            self._supervisors.pop(chat_id, None)
        return bool(dropped)
