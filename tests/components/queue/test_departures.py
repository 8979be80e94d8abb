"""Departures (components.queue.departures), on the harness's standing clock: a patron gone for
good after a grace period, a claiming librarian whose client is gone or who fell silent.

Here a patron has 30 s to come back, a claiming librarian's client is pinged every 30 s, and
one who has sent nothing for more than 80 s is silent (not a multiple of the period, so that
no check falls on the limit itself). Ari enters Reference after the offer, so that a
chat sent back to the queue has someone to go to.
"""

from __future__ import annotations

import pytest

from tests.components.queue.harness import (
    PING,
    QUEUE_OCCUPANT,
    REFERENCE,
    QueueHarness,
    occupant,
)
from tests.components.queue.wire import (
    ADA,
    ARI,
    CHAT,
    NS,
    PATRON,
    asked,
    bare,
    chat_to,
    monitors,
    named,
    offer_in,
    offline,
    online,
    said,
)

CHECK_S = 30.0
GRACE_S = 30.0
SILENCE_S = 80.0
DISCO_INFO = "http://jabber.org/protocol/disco#info"
RATING_PROMPT = "The chat has ended. Thank you! How would you rate it, from 1 to 5?"
BACK = ("Your librarian {why}. You are back in the queue; the next librarian will see the "
        "conversation so far.")


@pytest.fixture
def queue_settings() -> dict[str, float]:
    return {"patron_grace_s": GRACE_S, "operator_check_s": CHECK_S,
            "operator_silence_s": SILENCE_S}


def line(seq: int) -> str:
    """The transcript seq a relayed line carries (XEP-0359)."""
    return f"<stanza-id xmlns='urn:xmpp:sid:0' id='{seq}' by='{CHAT}'/>"


def patron_presence(kind: str = "") -> str:
    type_attr = f" type='{kind}'" if kind else ""
    return f"<presence{type_attr} from='{PATRON}' to='{CHAT}'/>"


def ping(stanza_id: str, to: str = ADA) -> str:
    return f"<iq type='get' id='{stanza_id}' from='{CHAT}' to='{to}'><ping xmlns='{PING}'/></iq>"


def what_are_you(stanza_id: str, to: str = ADA) -> str:
    return (f"<iq type='get' id='{stanza_id}' from='{CHAT}' to='{to}'>"
            f"<query xmlns='{DISCO_INFO}'/></iq>")


def queue_status(stanza_id: str) -> str:
    return chat_to(PATRON, stanza_id, "You are number 1 in the queue; estimated wait 60 "
                   "seconds.", f"<queue-status xmlns='{NS}'><position>1</position><time>60</time>"
                   "</queue-status>")


def waiting(queue: QueueHarness) -> None:
    """The patron asks with Ada monitoring Reference (ids 1 to 3), Ari comes in, the patron
    learns their place (4)."""
    asked(queue)
    monitors(queue, REFERENCE, "Ari", bare(ARI))
    queue.advance(0.25)
    queue.send(queue_status("4"))


def claimed(queue: QueueHarness) -> None:
    """…and Ada claims the chat (ids 5 to 7); the clock stands at the claim."""
    waiting(queue)
    queue.recv(said(ADA, "!claim"))
    assert [s.name for s in queue.sent_all()] == ["message", "message", "message"]


def requeued_offer(message_id: str, why: str) -> str:
    return offer_in(REFERENCE, message_id, f"Back in the queue: Ada (Alpha University Library) "
                    f"{why}\n“Where are the maps?”", transfer=True)


# --- patrons -----------------------------------------------------------------------------------


def test_a_waiting_patron_gone_past_the_grace_period_leaves_the_queue(
    queue: QueueHarness,
) -> None:
    waiting(queue)
    queue.recv(patron_presence("unavailable"))
    queue.advance(GRACE_S - 0.1)
    queue.nothing_sent()
    queue.advance(0.1)
    queue.send(f"<message type='groupchat' id='5' from='{QUEUE_OCCUPANT}' to='{REFERENCE}'>"
               f"<body>Chat {CHAT} is no longer waiting: the patron left.</body>"
               f"<withdrawn xmlns='{NS}' chat='{CHAT}'/></message>")
    queue.send(offline(bare(ADA), "6"))
    queue.advance(0.25)  # nobody waits now: no queue status
    queue.recv(said(ARI, "!claim"))  # ids 7 and 8: the summaries for the route's co-ops
    queue.send(chat_to(ARI, "9", "This chat is cancelled; it can no longer be claimed."))


def test_a_patron_who_comes_back_within_the_grace_period_is_still_waiting(
    queue: QueueHarness,
) -> None:
    waiting(queue)
    queue.recv(patron_presence("unavailable"))
    queue.advance(GRACE_S - 10)
    queue.recv(patron_presence())  # the widget resumed the chat on a new connection
    queue.advance(GRACE_S)
    queue.nothing_sent()
    queue.recv(said(ADA, "!claim"))
    queue.send(chat_to(PATRON, "5", "Ada from Alpha University Library has joined the chat.",
                       f"<claimed xmlns='{NS}' nick='Ada' "
                       "institution='Alpha University Library'/>"))
    assert len(queue.sent_all()) == 2  # taken, the reply


def test_the_librarian_of_a_claimed_chat_is_told_when_the_patron_is_gone(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.advance(10)
    queue.recv(patron_presence("unavailable"))
    queue.advance(CHECK_S - 10)
    queue.send(ping("8"))
    queue.advance(10)  # the grace period is over
    queue.send(chat_to("ada@alpha.test", "9", "The patron left the chat (closed the page or "
                       "lost the connection). End it with !end when you are done."))
    queue.recv(said(ADA, "!end"))
    assert [s["refdesk_ended"]["by"] for s in queue.sent_all()[:2]] == ["operator", "operator"]


# --- librarians --------------------------------------------------------------------------------


def test_a_librarian_whose_client_is_gone_sends_the_chat_back_to_the_queue(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.recv(said(PATRON, "Hello?", "p1"))
    queue.send(chat_to("ada@alpha.test", "8", "Hello?", line(3)))
    # Ada's connection ends: the room sees her go; her server answers for her client.
    queue.server.gone.add(ADA)
    queue.recv(occupant(REFERENCE, "Ada", bare(ADA), to=QUEUE_OCCUPANT, kind="unavailable"))
    queue.advance(CHECK_S)
    queue.send(ping("9"))
    queue.send(what_are_you("10"))  # service-unavailable may be a client without pings
    queue.advance(GRACE_S)  # unreachable for the whole grace period: gone
    queue.send(ping("11"))
    queue.send(what_are_you("12"))
    queue.send(chat_to(PATRON, "13", BACK.format(why="was disconnected"),
                       f"<requeued xmlns='{NS}' reason='disconnected'/>"))
    told = queue.sent()  # its wording: see the xfail below
    assert (told["type"], told["from"].full, told["to"].full) == ("chat", CHAT, bare(ADA))
    queue.send(requeued_offer("15", "was disconnected"))
    queue.send(online(bare(ARI), "16"))
    queue.send(named(bare(ARI), "17"))
    queue.advance(0.25)
    queue.send(queue_status("18"))
    queue.advance(CHECK_S)  # Ada's client is not pinged any more
    queue.recv(said(ARI, "!claim"))
    queue.send(chat_to(PATRON, "19", "Ari from Alpha University Library has joined the chat.",
                       f"<claimed xmlns='{NS}' nick='Ari' "
                       "institution='Alpha University Library'/>"))
    queue.send(offline(bare(ADA), "20"))
    assert queue.sent()["refdesk_taken"]["nick"] == "Ari"  # in Reference
    queue.send(chat_to(ARI, "22", "You claimed the chat. The patron asked: “Where are the "
                       "maps?”\nSo far:\n[Claimed by Ada (Alpha University Library)]\n"
                       "Patron: Hello?\n[Back in the queue: Ada (Alpha University Library) was "
                       "disconnected]"))


def test_the_librarian_whose_client_was_gone_is_told_in_good_english(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.server.gone.add(ADA)
    queue.advance(CHECK_S)
    assert [queue.sent().name for _ in range(2)] == ["iq", "iq"]  # unanswered: the grace
    queue.advance(GRACE_S)
    assert [queue.sent().name for _ in range(3)] == ["iq", "iq", "message"]  # to the patron
    queue.send(chat_to("ada@alpha.test", "13", "This chat went back to the queue: you were "
                       "disconnected."))
    queue.sent_all()


def test_a_librarian_whose_client_comes_back_within_the_grace_period_keeps_the_chat(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.server.gone.add(ADA)  # her console reloads
    queue.advance(CHECK_S)
    assert [queue.sent().name for _ in range(2)] == ["iq", "iq"]
    queue.server.gone.discard(ADA)  # and is back, with the same resource
    queue.advance(CHECK_S)
    queue.send(ping("10"))  # answered: the chat stays hers
    queue.recv(said(PATRON, "Still there?", "p1"))
    queue.send(chat_to("ada@alpha.test", "11", "Still there?", line(3)))
    queue.nothing_sent()


def test_a_silent_librarian_sends_the_chat_back_to_the_queue(queue: QueueHarness) -> None:
    claimed(queue)
    for stanza_id in ("8", "9"):  # silent for 30, then 60 s: not too long
        queue.advance(CHECK_S)
        queue.send(ping(stanza_id))
    queue.advance(CHECK_S)  # 90 s
    queue.send(chat_to(PATRON, "10", BACK.format(why="did not answer"),
                       f"<requeued xmlns='{NS}' reason='silent'/>"))
    queue.send(chat_to("ada@alpha.test", "11", "This chat went back to the queue: you did not "
                       "answer."))
    queue.send(requeued_offer("12", "did not answer"))
    queue.send(online(bare(ADA), "13"))  # still monitoring Reference: offered it again
    queue.send(online(bare(ARI), "14"))
    queue.send(named(bare(ARI), "15"))
    queue.advance(0.25)
    queue.send(queue_status("16"))


def test_a_librarian_who_is_typing_is_not_silent(queue: QueueHarness) -> None:
    claimed(queue)
    queue.advance(CHECK_S)
    queue.send(ping("8"))
    queue.advance(15)
    queue.recv(f"<message type='chat' from='{ADA}' to='{CHAT}'>"
               "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")
    queue.send(f"<message type='chat' id='9' from='{CHAT}' to='{PATRON}'>"
               "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")
    queue.advance(15)
    queue.send(ping("10"))
    # 90 and 120 s after the claim, 45 and 75 s after she typed: not silent.
    for stanza_id in ("11", "12"):
        queue.advance(CHECK_S)
        queue.send(ping(stanza_id))
    queue.advance(CHECK_S)  # 105 s
    assert queue.sent()["refdesk_requeued"]["reason"] == "silent"
    queue.sent_all()


def test_a_chat_whose_patron_left_ends_when_its_librarian_is_gone_too(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.advance(10)
    queue.recv(patron_presence("unavailable"))
    queue.advance(CHECK_S - 10)
    queue.send(ping("8"))
    queue.advance(10)
    assert queue.sent()["body"].startswith("The patron left the chat")
    queue.server.gone.add(ADA)
    queue.advance(CHECK_S - 10)
    queue.send(ping("10"))
    queue.send(what_are_you("11"))
    queue.advance(GRACE_S)  # unreachable for the grace period (and silent by now)
    queue.send(chat_to(PATRON, "12", RATING_PROMPT, f"<ended xmlns='{NS}' by='patron'/>"))
    queue.send(chat_to("ada@alpha.test", "13", "The chat has ended.",
                       f"<ended xmlns='{NS}' by='patron'/>"))
    queue.send(offline(bare(ADA), "14"))
    queue.advance(CHECK_S)  # ended: nobody is pinged, nothing is offered
    queue.advance(0.25)


def test_a_client_that_answers_no_pings_but_says_what_it_is_is_still_there(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.server.pingless.add(ADA)
    queue.advance(CHECK_S)
    queue.send(ping("8"))  # service-unavailable: from the client, or its server?
    queue.send(what_are_you("9"))  # the client answers: it is there
    queue.advance(CHECK_S)
    queue.send(ping("10"))
    queue.send(what_are_you("11"))
    queue.recv(said(ADA, "Still here.", "o1"))
    queue.send(f"<message type='chat' id='12' from='{CHAT}' to='{PATRON}'>"
               f"<body>Still here.</body><stanza-id xmlns='urn:xmpp:sid:0' id='3' by='{CHAT}'/>"
               "</message>")


def test_a_ping_refused_otherwise_than_as_gone_means_the_client_is_there(
    queue: QueueHarness,
) -> None:
    claimed(queue)
    queue.server.refused[PING] = "feature-not-implemented"
    queue.advance(CHECK_S)
    queue.send(ping("8"))
    queue.advance(CHECK_S)
    queue.send(ping("9"))
