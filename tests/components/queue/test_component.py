"""The queue component, stanzas in and stanzas out: a patron's request, the claim, the relayed
conversation, a transfer, the end, and how each is refused (DESIGN.md, Wire contract).

Alpha's queue as the lab seeds it: the Reference and Science departments, the Valley
Libraries Co-op (alpha, beta) and 24/7 Reference (alpha, beta, gamma; hosted by coop.test).
The widget alpha-main routes to Reference, then the local co-op, then the 24/7 co-op.
"""

from __future__ import annotations

import pytest

from tests.components.queue.harness import (
    COOP_247,
    COOP_LOCAL,
    QUEUE,
    QUEUE_OCCUPANT,
    REFERENCE,
    SCIENCE,
    QueueHarness,
)
from tests.components.queue.wire import (
    ADA,
    ARI,
    BEN,
    CHAT,
    NS,
    PATRON,
    STANZAS,
    asked,
    bare,
    chat_to,
    claimed_by_ada,
    error_reply,
    monitors,
    named,
    offer_in,
    offline,
    online,
    request,
    said,
)

STAFF = "staff@conference.alpha.test"

# --- start ---------------------------------------------------------------------------------------


def test_start_joins_every_room_after_leaving_it_and_keeps_department_rooms_members_only(
    unstarted: QueueHarness,
) -> None:
    unstarted.start(keep_sent=True)
    assert unstarted.ready
    unstarted.send(f"<presence type='unavailable' id='leave-before-join:{REFERENCE}' "
                   f"to='{REFERENCE}/Alpha University Library' from='{QUEUE_OCCUPANT}'/>")
    unstarted.send(f"<presence id='2' to='{REFERENCE}/Alpha University Library' "
                   f"from='{QUEUE_OCCUPANT}'><x xmlns='http://jabber.org/protocol/muc'>"
                   "<history maxstanzas='0'/></x></presence>")
    stanzas = unstarted.sent_all()
    rooms_joined = {s["to"].bare for s in stanzas
                    if s.name == "presence" and s["type"] not in ("unavailable", "subscribe")}
    assert rooms_joined == {SCIENCE, COOP_LOCAL, COOP_247, STAFF}
    configured = [s["to"].bare for s in stanzas
                  if s.xml.find("{http://jabber.org/protocol/muc#owner}query") is not None]
    # Its own departments and all-staff room only, never a co-op's room.
    assert configured == [REFERENCE, SCIENCE, STAFF]
    # One item per muc#admin set: Prosody applies only the first.
    sets = unstarted.server.affiliations_set
    assert all(len(items) == 1 for _, items in sets)
    assert unstarted.server.members[REFERENCE] == {
        f"{user}@alpha.test" for user in ("ann", "abe", "ada", "ari", "ava", "amir", "alma",
                                          "asa")}
    assert unstarted.server.members[STAFF] == unstarted.server.members[REFERENCE]
    pings = sorted(s["to"].full for s in stanzas if s.name == "iq"
                   and s.xml.find("{urn:xmpp:ping}ping") is not None)
    assert pings == ["beta.test", "coop.test", "gamma.test"]


# --- request -------------------------------------------------------------------------------------


def test_request_opens_a_chat_offers_it_in_the_monitored_department_and_tells_the_queue_place(
    queue: QueueHarness,
) -> None:
    monitors(queue, REFERENCE, "Ada", "ada@alpha.test")
    queue.recv(request(extra="<name>Pat</name><email>pat@example.org</email>"))
    queue.send(offer_in(REFERENCE, "1", "Patron: Pat &lt;pat@example.org&gt;\n"
                        "“Where are the maps?”"))
    pat = "Pat (Alpha University Library, Ask Alpha)"
    queue.send(online("ada@alpha.test", "2", name=pat))
    queue.send(named("ada@alpha.test", "3", name=pat))
    queue.send(f"<iq type='result' id='ask' from='{QUEUE}' to='{PATRON}'>"
               f"<chat xmlns='{NS}' jid='{CHAT}' token='token-1'/></iq>")
    queue.nothing_sent()
    queue.advance(0.25)
    queue.send(f"<message type='chat' id='4' from='{CHAT}' to='{PATRON}'>"
               "<body>You are number 1 in the queue; estimated wait 60 seconds.</body>"
               f"<queue-status xmlns='{NS}'><position>1</position><time>60</time>"
               "</queue-status></message>")


def test_unclaimed_chat_reaches_the_monitored_coop_one_fallback_period_later(
    queue: QueueHarness,
) -> None:
    monitors(queue, COOP_LOCAL, "Ben", "ben@beta.test")
    asked(queue)
    queue.advance(0.25)
    assert [s["refdesk_queue_status"]["position"] for s in queue.sent_all()] == [1]
    queue.advance(29.5)
    queue.nothing_sent()
    queue.advance(0.25)
    queue.send(offer_in(COOP_LOCAL, "5", "“Where are the maps?”", via="Valley Libraries Co-op"))
    queue.send(online("ben@beta.test", "6"))
    queue.send(named("ben@beta.test", "7"))


def test_unknown_widget_is_item_not_found(queue: QueueHarness) -> None:
    queue.recv(request(widget="nope"))
    queue.send(error_reply("iq", "ask", PATRON, "item-not-found", "cancel",
                           "There is no chat widget 'nope' at Alpha University Library."))


def test_widget_nobody_monitors_is_service_unavailable_and_no_chat_is_opened(
    queue: QueueHarness,
) -> None:
    monitors(queue, REFERENCE, "Ada", "ada@alpha.test", show="away")  # present, not monitoring
    queue.recv(request())
    queue.send(error_reply("iq", "ask", PATRON, "service-unavailable", "cancel",
                           "Ask Alpha is offline right now; please leave your question and "
                           "the library will get back to you."))
    monitors(queue, REFERENCE, "Ada", "ada@alpha.test")
    queue.recv(request())
    offer, shown, nick, reply = queue.sent_all()
    assert offer["refdesk_offer"]["chat"] == CHAT  # chat 1: the refused one was not kept
    assert (shown["from"], nick["from"]) == (CHAT, CHAT)
    assert reply["refdesk_chat"]["jid"] == CHAT


@pytest.mark.parametrize(("extra", "question", "text"), [
    ("", "   ", "Please type your question first."),
    ("", "x" * 2001, "Your question is too long: at most 2000 characters, please."),
    ("<email>pat at example</email>", "Maps?",
     "That email address does not look right; please check it, or leave it out."),
])
def test_bad_request_names_what_is_wrong(queue: QueueHarness, extra: str, question: str,
                                         text: str) -> None:
    monitors(queue, REFERENCE, "Ada", "ada@alpha.test")
    queue.recv(request(question, extra=extra))
    queue.send(error_reply("iq", "ask", PATRON, "bad-request", "modify", text))


def test_a_patron_may_have_three_chats_open_not_four(queue: QueueHarness) -> None:
    monitors(queue, REFERENCE, "Ada", "ada@alpha.test")
    for n in (1, 2, 3):
        queue.recv(request(iq_id=f"ask-{n}", patron=f"pat@guest.alpha.test/tab{n}"))
        # The offer, the chat coming online to Ada and naming itself, the chat's JID.
        assert [s.name for s in queue.sent_all()] == ["message", "presence", "message", "iq"]
    queue.recv(request(iq_id="ask-4", patron="pat@guest.alpha.test/tab4"))
    queue.send(error_reply("iq", "ask-4", "pat@guest.alpha.test/tab4", "conflict", "cancel",
                           "You already have chats open; please finish one first."))


# --- claim ---------------------------------------------------------------------------------------


def test_claim_tells_the_patron_who_joined_the_room_it_was_taken_and_the_claimer_the_question(
    queue: QueueHarness,
) -> None:
    asked(queue)
    queue.recv(said(ADA, "!claim"))
    queue.send(chat_to(PATRON, "4", "Ada from Alpha University Library has joined the chat.",
                       f"<claimed xmlns='{NS}' nick='Ada' "
                       "institution='Alpha University Library'/>"))
    queue.send(f"<message type='groupchat' id='5' from='{QUEUE_OCCUPANT}' to='{REFERENCE}'>"
               f"<body>Chat {CHAT} was taken by Ada (Alpha University Library).</body>"
               f"<taken xmlns='{NS}' chat='{CHAT}' nick='Ada' "
               "institution='Alpha University Library'/></message>")
    # Nothing said while the patron waited: the question alone (the claim's own transcript
    # line is not shown as said meanwhile).
    queue.send(chat_to(ADA, "6", "You claimed the chat. The patron asked: “Where are the maps?”"))


def test_claim_reply_gives_what_the_patron_typed_while_waiting(queue: QueueHarness) -> None:
    asked(queue)
    queue.recv(said(PATRON, "It is for a class."))
    queue.nothing_sent()  # kept for the librarian, sent to nobody yet
    queue.recv(said(ADA, "!claim"))
    *_, reply = queue.sent_all()
    assert reply["body"].split("\n") == [
        "You claimed the chat. The patron asked: “Where are the maps?”",
        "So far:",
        "Patron: It is for a class.",
    ]


def test_claim_as_an_adhoc_command_at_the_chat_jid(queue: QueueHarness) -> None:
    asked(queue)
    queue.recv(f"<iq type='set' id='c1' from='{ADA}' to='{CHAT}'>"
               "<command xmlns='http://jabber.org/protocol/commands' node='claim' "
               "action='execute'/></iq>")
    assert queue.sent()["refdesk_claimed"]["nick"] == "Ada"
    assert queue.sent()["refdesk_taken"]["chat"] == CHAT
    result = queue.sent()
    assert (result["type"], result["id"], result["from"]) == ("result", "c1", CHAT)
    assert result["command"]["status"] == "completed"
    assert result["command"]["notes"][0][1].startswith("You claimed the chat.")


def test_second_claim_is_told_who_has_the_chat(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ARI, "!claim"))
    # Named by the library's name, as every other notice does (not its domain).
    queue.send(chat_to(ARI, "7", "This chat was already claimed by Ada "
                       "(Alpha University Library)."))


def test_claim_by_staff_the_chat_was_never_offered_to_is_refused_as_no_such_chat(
    queue: QueueHarness,
) -> None:
    monitors(queue, COOP_LOCAL, "Ben", "ben@beta.test", show="away")  # in the room, away
    asked(queue)
    queue.recv(said(BEN, "!claim"))
    queue.send(error_reply("message", "m1", BEN, "forbidden", "auth",
                           "There is no such chat, or it is not yours.", sender=CHAT))


def test_claim_by_a_coop_monitor_it_was_offered_to(queue: QueueHarness) -> None:
    monitors(queue, COOP_LOCAL, "Ben", "ben@beta.test")
    queue.recv(request())  # Reference is empty: straight to the co-op
    queue.send(offer_in(COOP_LOCAL, "1", "“Where are the maps?”", via="Valley Libraries Co-op"))
    queue.send(online("ben@beta.test", "2"))
    queue.send(named("ben@beta.test", "3"))
    assert queue.sent()["type"] == "result"
    queue.recv(said(BEN, "!claim"))
    queue.send(f"<message type='chat' id='4' from='{CHAT}' to='{PATRON}'>"
               "<body>Ben from Beta Public Library has joined the chat.</body>"
               f"<claimed xmlns='{NS}' nick='Ben' institution='Beta Public Library'/>"
               "</message>")
    assert queue.sent()["refdesk_taken"]["nick"] == "Ben"
    assert queue.sent()["body"].startswith("You claimed the chat.")


# --- relay ---------------------------------------------------------------------------------------


def test_conversation_is_relayed_through_the_chat_jid_with_receipts_and_line_numbers(
    queue: QueueHarness,
) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(f"<message type='chat' id='p1' from='{PATRON}' to='{CHAT}'><body>Hello?</body>"
               "<request xmlns='urn:xmpp:receipts'/></message>")
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{PATRON}'>"
               "<received xmlns='urn:xmpp:receipts' id='p1'/></message>")
    queue.send(f"<message type='chat' id='8' from='{CHAT}' to='ada@alpha.test'>"
               "<body>Hello?</body>"
               f"<stanza-id xmlns='urn:xmpp:sid:0' id='3' by='{CHAT}'/></message>")
    queue.recv(said(ADA, "Maps are on floor 2.", "o1"))
    queue.send(f"<message type='chat' id='9' from='{CHAT}' to='{PATRON}'>"
               "<body>Maps are on floor 2.</body>"
               f"<stanza-id xmlns='urn:xmpp:sid:0' id='4' by='{CHAT}'/></message>")


def test_typing_notifications_are_relayed_too(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(f"<message type='chat' from='{PATRON}' to='{CHAT}'>"
               "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='ada@alpha.test'>"
               "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")


def test_a_line_resent_with_the_same_id_is_relayed_once(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(PATRON, "Hello?", "p1"))
    assert queue.sent()["body"] == "Hello?"
    queue.recv(said(PATRON, "Hello?", "p1"))
    queue.nothing_sent()


def test_too_long_a_line_is_refused_and_not_relayed(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "x" * 4001, "o1"))
    queue.send(error_reply("message", "o1", ADA, "bad-request", "modify",
                           "That message is too long: at most 4000 characters, please.",
                           sender=CHAT))


@pytest.mark.parametrize("line", ["/me looks it up", "/tmp is not a command", "/mE waves"])
def test_a_slash_word_that_is_no_command_is_a_line_for_the_patron(
    queue: QueueHarness, line: str,
) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, line, "o1"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{PATRON}'><body>{line}</body>"
               f"<stanza-id xmlns='urn:xmpp:sid:0' id='3' by='{CHAT}'/></message>")


def test_a_bounced_line_tells_the_sender_the_condition_of_the_bouncer_s_own_error(
    queue: QueueHarness,
) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(f"<message type='error' id='8' from='{PATRON}' to='{CHAT}'>"
               f"<body>Hello?</body><error type='cancel'>"
               f"<recipient-unavailable xmlns='{STANZAS}'/></error></message>")
    queue.send(chat_to("ada@alpha.test", "7", "Your last message could not be delivered to "
                       "the patron: recipient-unavailable."))


def test_a_colleague_writing_to_a_claimed_chat_is_told_who_has_it(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ARI, "Need help?"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{ARI}'><body>This chat was "
               "taken by Ada (Alpha University Library).</body></message>")


def test_a_line_to_a_chat_that_does_not_exist_is_item_not_found(queue: QueueHarness) -> None:
    queue.recv(said(ADA, "Hello?", to=f"chat-99@{QUEUE}"))
    queue.send(error_reply("message", "m1", ADA, "item-not-found", "cancel",
                           "There is no such chat.", sender=f"chat-99@{QUEUE}"))


# --- transfer ------------------------------------------------------------------------------------


def test_transfer_to_a_department_offers_it_there_and_the_next_claim_tells_who_handed_it_on(
    queue: QueueHarness,
) -> None:
    monitors(queue, SCIENCE, "Ari", "ari@alpha.test")
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!transfer Science knows maps patron: a map expert will help"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{PATRON}'>"
               "<body>You are being transferred to Science (Alpha University Library). "
               "a map expert will help</body>"
               f"<transferred xmlns='{NS}' to='Science (Alpha University Library)'>"
               "a map expert will help</transferred></message>")
    queue.send(offer_in(SCIENCE, "8", "Transferred by Ada (Alpha University Library): knows "
                        "maps\n“Where are the maps?”", transfer=True))
    queue.send(online("ari@alpha.test", "9"))
    queue.send(named("ari@alpha.test", "10"))
    queue.send(f"<message type='chat' id='11' from='{CHAT}' to='{ADA}'>"
               "<body>Transferred to Science.</body></message>")
    queue.recv(said(ARI, "!claim"))
    assert queue.sent()["refdesk_claimed"]["nick"] == "Ari"
    queue.send(offline("ada@alpha.test", "13"))  # online to the claimant alone
    queue.send(f"<message type='chat' id='14' from='{CHAT}' to='ada@alpha.test'>"
               f"<body>Chat {CHAT} was taken by Ari (Alpha University Library).</body>"
               f"<taken xmlns='{NS}' chat='{CHAT}' nick='Ari' "
               "institution='Alpha University Library'/></message>")
    assert queue.sent()["refdesk_taken"]["nick"] == "Ari"  # in Science, where it was offered
    assert queue.sent()["body"].startswith("You claimed the chat.")


def test_transfer_to_a_coop_by_its_name_with_spaces(queue: QueueHarness) -> None:
    monitors(queue, COOP_LOCAL, "Ben", "ben@beta.test")
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!transfer Valley Libraries Co-op over to you"))
    assert queue.sent()["refdesk_transferred"]["to"] == "Valley Libraries Co-op"
    queue.send(offer_in(COOP_LOCAL, "8", "Transferred by Ada (Alpha University Library): over "
                        "to you\n“Where are the maps?”", via="Valley Libraries Co-op",
                        transfer=True))
    queue.send(online("ben@beta.test", "9"))
    queue.send(named("ben@beta.test", "10"))
    assert queue.sent()["body"] == "Transferred to Valley Libraries Co-op."


def test_transfer_to_a_department_nobody_monitors_is_refused_listing_who_is_online(
    queue: QueueHarness,
) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!transfer Science"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{ADA}'><body>Science is not "
               "online right now. Online now: Reference.</body></message>")  # never herself
    queue.recv(said(ARI, "Still yours?"))
    assert "taken by Ada" in queue.sent()["body"]  # the chat stayed with Ada


def test_transfer_to_nowhere_known_is_refused_listing_who_is_online(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!transfer Nowhere"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{ADA}'><body>No operator, "
               "department or co-op called 'Nowhere'. Online now: Reference.</body></message>")


def test_only_the_claiming_librarian_may_transfer(queue: QueueHarness) -> None:
    monitors(queue, SCIENCE, "Ari", "ari@alpha.test")
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ARI, "!transfer Science"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{ARI}'><body>Only the librarian "
               "who claimed this chat can transfer it.</body></message>")


# --- end -----------------------------------------------------------------------------------------


def test_librarian_ends_the_chat_both_sides_are_told_and_the_patron_asked_to_rate(
    queue: QueueHarness,
) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!end"))
    queue.send(f"<message type='chat' id='7' from='{CHAT}' to='{PATRON}'><body>The chat has "
               "ended. Thank you! How would you rate it, from 1 to 5?</body>"
               f"<ended xmlns='{NS}' by='operator'/></message>")
    queue.send(f"<message type='chat' id='8' from='{CHAT}' to='ada@alpha.test'>"
               f"<body>The chat has ended.</body><ended xmlns='{NS}' by='operator'/></message>")
    queue.send(offline("ada@alpha.test", "9"))
    queue.send(f"<message type='chat' id='10' from='{CHAT}' to='{ADA}'>"
               "<body>You ended the chat.</body></message>")
    queue.recv(said(PATRON, "One more thing"))
    # Two ids went to the summaries of the chat, answered at home, for its two co-ops.
    queue.send(f"<message type='chat' id='13' from='{CHAT}' to='{PATRON}'>"
               "<body>This chat has ended.</body></message>")


def test_patron_ends_rates_once_and_a_second_end_or_rating_is_a_conflict(
    queue: QueueHarness,
) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(f"<iq type='set' id='e1' from='{PATRON}' to='{CHAT}'><ended xmlns='{NS}'/></iq>")
    to_patron, to_ada, gone_offline, done = queue.sent_all()
    assert [s["refdesk_ended"]["by"] for s in (to_patron, to_ada)] == ["patron", "patron"]
    assert (gone_offline["type"], gone_offline["to"].full) == ("unavailable", "ada@alpha.test")
    assert (done["type"], done["id"]) == ("result", "e1")
    queue.recv(f"<iq type='set' id='e2' from='{PATRON}' to='{CHAT}'><ended xmlns='{NS}'/></iq>")
    queue.send(error_reply("iq", "e2", PATRON, "conflict", "cancel", "This chat is ended.",
                           sender=CHAT))
    queue.recv(f"<iq type='set' id='r1' from='{PATRON}' to='{CHAT}'>"
               f"<rating xmlns='{NS}' score='5'>Very helpful</rating></iq>")
    queue.send(f"<iq type='result' id='r1' from='{CHAT}' to='{PATRON}'/>")
    queue.recv(f"<iq type='set' id='r2' from='{PATRON}' to='{CHAT}'>"
               f"<rating xmlns='{NS}' score='4'/></iq>")
    queue.send(error_reply("iq", "r2", PATRON, "conflict", "cancel",
                           "This chat has been rated already. Thank you!", sender=CHAT))


@pytest.mark.parametrize("score", ["0", "6", "five", ""])
def test_rating_is_a_whole_number_from_1_to_5(queue: QueueHarness, score: str) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(said(ADA, "!end"))
    assert len(queue.sent_all()) == 4  # ended to each side, offline to Ada, the reply
    queue.recv(f"<iq type='set' id='r1' from='{PATRON}' to='{CHAT}'>"
               f"<rating xmlns='{NS}' score='{score}'/></iq>")
    queue.send(error_reply("iq", "r1", PATRON, "bad-request", "modify",
                           "A rating is a whole number from 1 to 5.", sender=CHAT))


def test_nobody_but_the_patron_and_the_librarian_may_end_or_rate(queue: QueueHarness) -> None:
    asked(queue)
    claimed_by_ada(queue)
    queue.recv(f"<iq type='set' id='e1' from='{ARI}' to='{CHAT}'><ended xmlns='{NS}'/></iq>")
    queue.send(error_reply("iq", "e1", ARI, "forbidden", "auth",
                           "Only the patron or the librarian in this chat can end it.",
                           sender=CHAT))
    queue.recv(f"<iq type='set' id='r1' from='{ADA}' to='{CHAT}'>"
               f"<rating xmlns='{NS}' score='5'/></iq>")
    queue.send(error_reply("iq", "r1", ADA, "forbidden", "auth",
                           "Only the patron can rate this chat.", sender=CHAT))


def test_patron_cancels_while_waiting_and_the_offers_are_withdrawn(queue: QueueHarness) -> None:
    asked(queue)
    queue.recv(f"<iq type='set' id='x1' from='{PATRON}' to='{CHAT}'><cancel xmlns='{NS}'/></iq>")
    queue.send(f"<message type='groupchat' id='4' from='{QUEUE_OCCUPANT}' to='{REFERENCE}'>"
               f"<body>Chat {CHAT} is no longer waiting: the patron cancelled.</body>"
               f"<withdrawn xmlns='{NS}' chat='{CHAT}'/></message>")
    queue.send(offline(bare(ADA), "5"))
    queue.send(f"<iq type='result' id='x1' from='{CHAT}' to='{PATRON}'/>")
    queue.recv(said(ADA, "!claim"))
    assert queue.sent()["body"] == "This chat is cancelled; it can no longer be claimed."


def test_a_waiting_patron_who_types_end_leaves_the_queue(queue: QueueHarness) -> None:
    asked(queue)
    queue.recv(said(PATRON, "!end"))
    queue.send(f"<message type='groupchat' id='4' from='{QUEUE_OCCUPANT}' to='{REFERENCE}'>"
               f"<body>Chat {CHAT} is no longer waiting: the patron cancelled.</body>"
               f"<withdrawn xmlns='{NS}' chat='{CHAT}'/></message>")
    queue.send(offline(bare(ADA), "5"))
    queue.send(chat_to(PATRON, "6", "You left the queue."))
    queue.advance(0.25)  # nobody waits: no queue status
    # Both co-ops on the widget's route hear of it, though neither was offered it.
    assert [(registry, summary["coop"], summary.get("offered"))
            for registry, summary in queue.server.summaries] == [
        ("coop.alpha.test", "coop-local", "false"), ("coop.coop.test", "coop-247", "false")]
    queue.recv(said(ADA, "!claim"))
    queue.send(chat_to(ADA, "9", "This chat is cancelled; it can no longer be claimed."))


def test_only_the_patron_may_cancel(queue: QueueHarness) -> None:
    asked(queue)
    queue.recv(f"<iq type='set' id='x1' from='{ADA}' to='{CHAT}'><cancel xmlns='{NS}'/></iq>")
    queue.send(error_reply("iq", "x1", ADA, "forbidden", "auth",
                           "Only the patron who asked can cancel this chat.", sender=CHAT))
