"""The chat's own JID as a contact of the staff it is offered to (components.queue.chatpresence):
online and named to each librarian offered the chat, directly or in a room they monitor;
offline to the others once it is claimed, and to everyone once it ends or is cancelled; a
librarian's request to add it to their contacts answered for staff entitled to it only."""

from __future__ import annotations

import pytest

from tests.components.queue.harness import (
    COOP_LOCAL,
    QUEUE,
    QUEUE_OCCUPANT,
    REFERENCE,
    QueueHarness,
)
from tests.components.queue.wire import (
    ADA,
    ARI,
    BEN,
    CHAT,
    NS,
    PATRON,
    asked,
    bare,
    claimed_by_ada,
    monitors,
    named,
    offer_in,
    offline,
    online,
    request,
    said,
)

ABE = "abe@alpha.test/gajim"
SCIENCE_WIDGET = "Patron (Alpha University Library, Ask a Science Librarian)"


def asked_with_ada_and_ari_monitoring(queue: QueueHarness) -> None:
    monitors(queue, REFERENCE, "Ada", bare(ADA))
    monitors(queue, REFERENCE, "Ari", bare(ARI))
    queue.recv(request())
    queue.send(offer_in(REFERENCE, "1", "“Where are the maps?”"))
    queue.send(online(bare(ADA), "2"))
    queue.send(named(bare(ADA), "3"))
    queue.send(online(bare(ARI), "4"))
    queue.send(named(bare(ARI), "5"))
    assert queue.sent()["refdesk_chat"]["jid"] == CHAT


def presence(kind: str, sender: str, to: str = CHAT) -> str:
    return f"<presence type='{kind}' from='{sender}' to='{to}'/>"


def answer(kind: str, to: str, presence_id: str) -> str:
    return f"<presence type='{kind}' id='{presence_id}' from='{CHAT}' to='{to}'/>"


# --- shown to the staff it is offered to -------------------------------------------------------


def test_a_chat_offered_in_a_room_comes_online_named_to_each_of_its_monitors(
    queue: QueueHarness,
) -> None:
    monitors(queue, COOP_LOCAL, "Ben", bare(BEN))  # a later target: not offered yet
    monitors(queue, REFERENCE, "Ava", "ava@alpha.test", show="away")  # present, not monitoring
    asked_with_ada_and_ari_monitoring(queue)


def test_a_chat_offered_directly_comes_online_named_to_that_operator(
    queue: QueueHarness,
) -> None:
    # Ask a Science Librarian: Science (nobody there), then Abe himself, online.
    queue.recv(f"<presence from='{ABE}' to='{QUEUE}'/>")
    queue.recv(request(widget="alpha-science"))
    queue.send(f"<message type='chat' id='1' from='{CHAT}' to='abe@alpha.test'><body>[Your "
               "library] New chat from Alpha University Library (Ask a Science Librarian):\n"
               f"“Where are the maps?”\nOpen xmpp:{CHAT}?message and send !claim to take it."
               f"</body><offer xmlns='{NS}' chat='{CHAT}' library='alpha.test' "
               "widget='alpha-science' home='true'/></message>")
    queue.send(online("abe@alpha.test", "2", name=SCIENCE_WIDGET))
    queue.send(named("abe@alpha.test", "3", name=SCIENCE_WIDGET))
    assert queue.sent()["refdesk_chat"]["jid"] == CHAT


def test_a_status_is_one_line_of_at_most_120_characters(queue: QueueHarness) -> None:
    monitors(queue, REFERENCE, "Ada", bare(ADA))
    queue.recv(request("Maps\n\nof   the " + "very " * 30 + "old town"))
    assert queue.sent()["refdesk_offer"]["chat"] == CHAT
    status = queue.sent()["status"]
    assert status == ("Waiting: Maps of the " + "very " * 30)[:119] + "…"
    assert len(status) == 120
    queue.sent_all()


def test_the_chat_is_named_once_and_its_presence_follows_each_new_offer(
    queue: QueueHarness,
) -> None:
    # Ada monitors Reference and the Valley co-op: the co-op's turn shows the chat again,
    # without naming it a second time.
    monitors(queue, COOP_LOCAL, "Ada", bare(ADA))
    asked(queue)
    queue.advance(0.25)
    assert queue.sent()["refdesk_queue_status"]["position"] == 1
    queue.advance(29.75)
    queue.send(offer_in(COOP_LOCAL, "5", "“Where are the maps?”", via="Valley Libraries Co-op"))
    queue.send(online(bare(ADA), "6"))


# --- hidden once claimed, ended, cancelled -------------------------------------------------------


def test_once_claimed_the_chat_goes_offline_to_everyone_but_the_claimant(
    queue: QueueHarness,
) -> None:
    asked_with_ada_and_ari_monitoring(queue)
    queue.recv(said(ADA, "!claim"))
    assert queue.sent()["refdesk_claimed"]["nick"] == "Ada"
    queue.send(offline(bare(ARI), "7"))
    assert queue.sent()["refdesk_taken"]["nick"] == "Ada"
    assert queue.sent()["body"].startswith("You claimed the chat.")


def test_once_ended_the_chat_goes_offline_to_its_librarian(queue: QueueHarness) -> None:
    asked_with_ada_and_ari_monitoring(queue)
    queue.recv(said(ADA, "!claim"))
    assert len(queue.sent_all()) == 4  # claimed, offline to Ari, taken, the reply
    queue.recv(f"<iq type='set' id='e1' from='{PATRON}' to='{CHAT}'><ended xmlns='{NS}'/></iq>")
    assert queue.sent()["refdesk_ended"]["by"] == "patron"  # to the patron
    assert queue.sent()["refdesk_ended"]["by"] == "patron"  # to Ada
    queue.send(offline(bare(ADA), "12"))  # Ari's went offline at the claim already
    assert queue.sent()["type"] == "result"


def test_a_cancelled_chat_goes_offline_to_everyone_it_was_offered_to(
    queue: QueueHarness,
) -> None:
    asked_with_ada_and_ari_monitoring(queue)
    queue.recv(f"<iq type='set' id='x1' from='{PATRON}' to='{CHAT}'><cancel xmlns='{NS}'/></iq>")
    queue.send(f"<message type='groupchat' id='6' from='{QUEUE_OCCUPANT}' to='{REFERENCE}'>"
               f"<body>Chat {CHAT} is no longer waiting: the patron cancelled.</body>"
               f"<withdrawn xmlns='{NS}' chat='{CHAT}'/></message>")
    queue.send_in_any_order(offline(bare(ADA), "7"), offline(bare(ARI), "8"))
    queue.send(f"<iq type='result' id='x1' from='{CHAT}' to='{PATRON}'/>")


# --- subscriptions -----------------------------------------------------------------------------


def test_staff_entitled_to_the_chat_may_add_it_to_their_contacts(queue: QueueHarness) -> None:
    asked(queue)
    # Ari, an Alpha operator not monitoring: the chat could be offered to him.
    queue.recv(presence("subscribe", bare(ARI)))
    queue.send(answer("subscribed", bare(ARI), "4"))
    queue.send(online(bare(ARI), "5"))
    queue.send(named(bare(ARI), "6"))
    # Ada, offered it already: subscribed, and online again (she knows its name).
    queue.recv(presence("subscribe", bare(ADA)))
    queue.send(answer("subscribed", bare(ADA), "7"))
    queue.send(online(bare(ADA), "8"))


def test_the_claimant_subscribing_sees_who_has_the_chat(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(presence("subscribe", bare(ADA)))
    queue.send(answer("subscribed", bare(ADA), "7"))
    queue.send(online(bare(ADA), "8", "With Ada: Where are the maps?"))


def test_anyone_else_is_refused_the_chat_as_a_contact(queue: QueueHarness) -> None:
    monitors(queue, COOP_LOCAL, "Ben", bare(BEN), show="away")  # not offered: away
    asked(queue)
    queue.recv(presence("subscribe", bare(BEN)))
    queue.send(answer("unsubscribed", bare(BEN), "4"))
    queue.recv(presence("subscribe", "eve@elsewhere.test"))
    queue.send(answer("unsubscribed", "eve@elsewhere.test", "5"))


def test_a_probe_is_answered_once_with_where_the_chat_stands_or_refused(
    queue: QueueHarness,
) -> None:
    asked(queue)
    queue.recv(presence("probe", bare(ARI)))
    queue.send(online(bare(ARI), "4"))
    queue.send(named(bare(ARI), "5"))
    queue.recv(presence("probe", "eve@elsewhere.test"))
    queue.send(answer("unsubscribed", "eve@elsewhere.test", "6"))


@pytest.mark.parametrize("kind", ["probe", "subscribe"])
def test_an_ended_chat_stays_offline_to_its_librarian(queue: QueueHarness, kind: str) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!end"))
    assert len(queue.sent_all()) == 4  # ended to each side, offline to Ada, the reply
    queue.recv(presence(kind, bare(ADA)))
    available = [stanza for stanza in queue.sent_all()
                 if stanza.name == "presence" and stanza["type"] in ("available", "")]
    assert available == []
