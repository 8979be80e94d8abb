"""A librarian opening a waiting chat sees its preview without typing first, once
(components.queue.relay.Relay.preview_once): their client says it opened the chat with a chat
state, or asks what the chat's JID is (disco#info, as Gajim does first)."""

from __future__ import annotations

from tests.components.queue.harness import COOP_LOCAL, QueueHarness
from tests.components.queue.wire import (
    ADA,
    ARI,
    BEN,
    CHAT,
    PATRON,
    WELCOME_TO_CLAIM,
    asked,
    bare,
    chat_to,
    claimed_by_ada,
    error_reply,
    monitors,
)

CHAT_STATES = "http://jabber.org/protocol/chatstates"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
PREVIEW = ("New chat from Alpha University Library (Ask Alpha):\n“Where are the maps?”\n"
           f"{WELCOME_TO_CLAIM}")


def chat_state(by: str, state: str = "active") -> str:
    return (f"<message type='chat' from='{by}' to='{CHAT}'><{state} xmlns='{CHAT_STATES}'/>"
            "</message>")


def what_is_it(by: str, iq_id: str = "d1") -> str:
    return (f"<iq type='get' id='{iq_id}' from='{by}' to='{CHAT}'>"
            f"<query xmlns='{DISCO_INFO}'/></iq>")


def it_is(to: str, iq_id: str = "d1") -> str:
    """The chat's JID is a bot with ad-hoc commands, chat states, receipts and refdesk's
    protocol."""
    features = "".join(f"<feature var='{var}'/>" for var in (
        "http://jabber.org/protocol/commands", CHAT_STATES, "urn:xmpp:receipts",
        "urn:refdesk:queue:0"))
    return (f"<iq type='result' id='{iq_id}' from='{CHAT}' to='{to}'><query xmlns='{DISCO_INFO}'>"
            f"<identity category='client' type='bot' name='refdesk chat'/>{features}</query></iq>")


def test_a_librarian_whose_client_sends_a_chat_state_sees_the_preview_once(
    queue: QueueHarness,
) -> None:
    asked(queue)
    queue.recv(chat_state(ARI))  # Ari, an Alpha operator: the chat could be offered to him
    queue.send(chat_to(ARI, "4", PREVIEW))
    queue.recv(chat_state(ARI, "composing"))
    queue.recv(what_is_it(ARI))
    queue.send(it_is(ARI))  # and no second preview


def test_a_librarian_whose_client_asks_what_the_chat_is_sees_the_preview_once(
    queue: QueueHarness,
) -> None:
    asked(queue)
    queue.recv(what_is_it(ARI))
    queue.send(it_is(ARI))
    queue.send(chat_to(ARI, "4", PREVIEW))
    queue.recv(what_is_it(ARI, "d2"))
    queue.send(it_is(ARI, "d2"))
    queue.recv(chat_state(ARI))


def test_the_patron_and_outsiders_asking_what_the_chat_is_see_no_preview(
    queue: QueueHarness,
) -> None:
    monitors(queue, COOP_LOCAL, "Ben", bare(BEN), show="away")  # never offered the chat
    asked(queue)
    queue.recv(what_is_it(PATRON))
    queue.send(it_is(PATRON))
    queue.recv(what_is_it(BEN))
    queue.send(it_is(BEN))


def test_an_outsider_s_chat_state_is_told_there_is_no_such_chat(queue: QueueHarness) -> None:
    monitors(queue, COOP_LOCAL, "Ben", bare(BEN), show="away")
    asked(queue)
    queue.recv(chat_state(BEN))
    queue.send(error_reply("message", "5", BEN, "forbidden", "auth",
                           "There is no such chat, or it is not yours.", sender=CHAT))


def test_a_claimed_chat_is_not_previewed(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(chat_state(ARI))
    queue.recv(what_is_it(ARI))
    queue.send(it_is(ARI))
    queue.recv(chat_state(ADA))  # the claimant's typing goes to the patron, as ever
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{PATRON}'>"
               f"<active xmlns='{CHAT_STATES}'/></message>")
