"""What patrons and librarians send Alpha's queue, and what it says back, as XML.

The people of the queue's tests: a patron on Alpha's widget, Ada and Ari (Alpha's operators,
Ada monitoring Reference), Ben (Beta Public Library, in the Valley Libraries Co-op's room).
"""

from __future__ import annotations

from tests.components.queue.harness import QUEUE, QUEUE_OCCUPANT, REFERENCE, QueueHarness, occupant

NS = "urn:refdesk:queue:0"
STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"
NICK = "http://jabber.org/protocol/nick"
PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
PATRON = "pat@guest.alpha.test/widget"
CHAT = f"chat-1@{QUEUE}"
ADA = "ada@alpha.test/gajim"
ARI = "ari@alpha.test/gajim"
BEN = "ben@beta.test/poezio"
WELCOME_TO_CLAIM = f"Open xmpp:{CHAT}?message and send !claim to take it."
CONTACT = "Patron (Alpha University Library, Ask Alpha)"
"""How the chat's JID names itself to staff when the patron gave no name."""
WAITING = "Waiting: Where are the maps?"


def bare(jid: str) -> str:
    return jid.partition("/")[0]


def monitors(queue: QueueHarness, room: str, nick: str, jid: str, show: str = "") -> None:
    """An operator enters a room the queue is in (the room tells the queue)."""
    queue.recv(occupant(room, nick, jid, show, to=QUEUE_OCCUPANT))


def request(question: str = "Where are the maps?", widget: str = "alpha-main",
            extra: str = "", patron: str = PATRON, iq_id: str = "ask") -> str:
    return (f"<iq type='set' id='{iq_id}' from='{patron}' to='{QUEUE}'>"
            f"<request xmlns='{NS}' widget='{widget}'><question>{question}</question>{extra}"
            "</request></iq>")


def said(by: str, body: str, message_id: str = "m1", to: str = CHAT) -> str:
    return (f"<message type='chat' id='{message_id}' from='{by}' to='{to}'>"
            f"<body>{body}</body></message>")


def chat_to(to: str, message_id: str, body: str, payload: str = "") -> str:
    """A message from the chat's JID."""
    return (f"<message type='chat' id='{message_id}' from='{CHAT}' to='{to}'>"
            f"<body>{body}</body>{payload}</message>")


def error_reply(kind: str, stanza_id: str, to: str, condition: str, etype: str, text: str,
                sender: str = QUEUE) -> str:
    return (f"<{kind} type='error' id='{stanza_id}' from='{sender}' to='{to}'>"
            f"<error xmlns='jabber:client' type='{etype}'><{condition} xmlns='{STANZAS}'/>"
            f"<text xmlns='{STANZAS}'>{text}</text></error></{kind}>")


def offer_in(room: str, message_id: str, text: str, via: str = "",
             transfer: bool = False) -> str:
    via_text = f", via {via}" if via else ""
    kind = "Chat passed on" if transfer else "New chat"
    flag = " transfer='true'" if transfer else ""
    return (f"<message type='groupchat' id='{message_id}' to='{room}' from='{QUEUE_OCCUPANT}'>"
            f"<body>{kind} from Alpha University Library (Ask Alpha{via_text}):\n{text}\n"
            f"{WELCOME_TO_CLAIM}</body>"
            f"<offer xmlns='{NS}' chat='{CHAT}' library='alpha.test' widget='alpha-main'{flag}/>"
            "</message>")


def online(to: str, presence_id: str, status: str = WAITING, name: str = CONTACT) -> str:
    """The chat's JID comes online to a librarian (directed presence), named (XEP-0172)."""
    return (f"<presence id='{presence_id}' from='{CHAT}' to='{to}'>"
            f"<status>{status}</status><nick xmlns='{NICK}'>{name}</nick></presence>")


def named(to: str, message_id: str, name: str = CONTACT) -> str:
    """The chat's nick as a PEP event, which poezio and Gajim read for a contact's name."""
    return (f"<message type='headline' id='{message_id}' from='{CHAT}' to='{to}'>"
            f"<event xmlns='{PUBSUB_EVENT}'><items node='{NICK}'><item>"
            f"<nick xmlns='{NICK}'>{name}</nick></item></items></event></message>")


def offline(to: str, presence_id: str) -> str:
    """The chat's JID goes offline to a librarian."""
    return f"<presence type='unavailable' id='{presence_id}' from='{CHAT}' to='{to}'/>"


def asked(queue: QueueHarness, question: str = "Where are the maps?") -> None:
    """The patron asks with Ada monitoring Reference: the offer goes there and the chat comes
    online to Ada (ids 1 to 3)."""
    monitors(queue, REFERENCE, "Ada", bare(ADA))
    queue.recv(request(question))
    queue.send(offer_in(REFERENCE, "1", f"“{question}”"))
    queue.send(online(bare(ADA), "2", f"Waiting: {question}"))
    queue.send(named(bare(ADA), "3"))
    queue.send(f"<iq type='result' id='ask' from='{QUEUE}' to='{PATRON}'>"
               f"<chat xmlns='{NS}' jid='{CHAT}' token='token-1'/></iq>")


def claimed_by_ada(queue: QueueHarness) -> None:
    """Ada claims the chat she was offered in Reference; what that sends is taken (ids 4 to
    6: claimed, taken, the reply; the chat stays online to her alone)."""
    queue.recv(said(ADA, "!claim"))
    assert len(queue.sent_all()) == 3
