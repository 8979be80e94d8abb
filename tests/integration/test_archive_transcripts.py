"""Transcripts stay at the patron's home library and are read across the federation by
whoever the co-ops' registries say may: every level, at home and elsewhere, for every action.

Chats of this module, built through the real queue (each question carries MARK):
- "ben": an Alpha patron's chat answered by Ben (Beta, Regular) through coop-local;
- "abe": an Alpha patron's chat answered at home by Abe (Regular) at the Reference desk;
- "sue": an Alpha patron's chat answered by Sue, the 24/7 co-op's own staff;
- "beta": a Beta patron's chat answered by Sue through coop-247.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from tests.integration.archive import (
    Kind,
    answered_chat,
    ask,
    element,
    listing,
    outcome,
    refused,
    transcript,
)
from tests.integration.poezio import shown_by_poezio
from tests.integration.queue import command, coop_room, notes, room
from tests.integration.xmpp import Session, operator, patron

MARK = uuid.uuid4().hex[:10]
ALPHA, BETA = "alpha.test", "beta.test"
PATRON = "patron of alpha"
OK = "ok"
NOT_FOUND = "item-not-found"
FORBIDDEN = "forbidden"


@pytest.fixture(scope="module")
async def chats(lab: dict[str, Any]) -> dict[str, str]:
    """The module's chats by name -> chat id, answered in turn (each librarian gone before
    the next chat is asked, so each lands where the story says)."""
    made = {
        "ben": await answered_chat(lab, ALPHA, "alpha-main", f"Renewing a thesis {MARK}",
                                   "ben@beta.test", coop_room(lab, "coop-local"), 4),
        "abe": await answered_chat(lab, ALPHA, "alpha-main", f"Printing credits {MARK}",
                                   "abe@alpha.test", room(lab, ALPHA, "Reference"), 5),
    }
    made["sue"] = await answered_chat(lab, ALPHA, "alpha-main", f"Night access {MARK}",
                                      "sue@coop.test", coop_room(lab, "coop-247"), 2)
    made["beta"] = await answered_chat(lab, BETA, "beta-main", f"Museum passes {MARK}",
                                       "sue@coop.test", coop_room(lab, "coop-247"), 3)
    return made


@asynccontextmanager
async def client(lab: dict[str, Any], who: str) -> AsyncIterator[Session]:
    """A librarian's own client, or a patron's anonymous one on guest.alpha.test."""
    if who == PATRON:
        async with patron(lab, ALPHA) as session:
            yield session
    else:
        async with operator(lab, who) as session:
            yield session


async def _outcome(session: Session, domain: str, action: str, chat: str) -> str:
    requests: dict[str, tuple[ET.Element, Kind]] = {
        "read": (element("transcript", id=chat), "get"),
        "edit": (element("edit", "Corrected line", id=chat, seq="1"), "set"),
        "delete": (element("delete", id=chat), "set"),
        "feedback": (element("feedback", "Clear and friendly", id=chat, rating="4"), "set"),
    }
    payload, kind = requests[action]
    return await outcome(session, domain, payload, kind)


# (who, action, chat, outcome): deletions that succeed are the next story's.
TABLE = [
    # ann: Alpha's local admin, Co-Op Admin of coop-local, Institution Admin of coop-247
    ("ann@alpha.test", "read", "ben", OK), ("ann@alpha.test", "read", "abe", OK),
    ("ann@alpha.test", "read", "sue", OK), ("ann@alpha.test", "edit", "ben", OK),
    ("ann@alpha.test", "feedback", "ben", OK), ("ann@alpha.test", "feedback", "abe",
                                               "bad-request"),
    ("ann@alpha.test", "read", "beta", NOT_FOUND),         # Beta's patron: not hers
    # abe: Regular at Alpha reads the chat he answered and nothing else
    ("abe@alpha.test", "read", "abe", OK), ("abe@alpha.test", "read", "ben", NOT_FOUND),
    ("abe@alpha.test", "edit", "abe", FORBIDDEN), ("abe@alpha.test", "delete", "ben", NOT_FOUND),
    # ben: Regular at Beta reads the Alpha chat he answered, may not change it
    ("ben@beta.test", "read", "ben", OK), ("ben@beta.test", "read", "sue", NOT_FOUND),
    ("ben@beta.test", "read", "abe", NOT_FOUND), ("ben@beta.test", "edit", "ben", FORBIDDEN),
    ("ben@beta.test", "delete", "ben", FORBIDDEN),
    ("ben@beta.test", "feedback", "ben", FORBIDDEN),
    # bea: Institution Admin at Beta reads her users' co-op chats at Alpha, read-only
    ("bea@beta.test", "read", "ben", OK), ("bea@beta.test", "read", "sue", NOT_FOUND),
    ("bea@beta.test", "delete", "ben", FORBIDDEN), ("bea@beta.test", "read", "beta", OK),
    # sam: Co-Op Admin of coop-247 reads its chats at Alpha and Beta, changes none
    ("sam@coop.test", "read", "sue", OK), ("sam@coop.test", "read", "beta", OK),
    ("sam@coop.test", "read", "abe", NOT_FOUND), ("sam@coop.test", "edit", "sue", FORBIDDEN),
    ("sam@coop.test", "delete", "sue", FORBIDDEN),
    ("sam@coop.test", "feedback", "sue", FORBIDDEN),
    # sue: the 24/7 co-op's Regular staff reads what she answered
    ("sue@coop.test", "read", "sue", OK), ("sue@coop.test", "read", "ben", NOT_FOUND),
    # gus: Gamma, outside coop-local, learns nothing of a coop-local chat
    ("gus@gamma.test", "read", "ben", NOT_FOUND), ("gus@gamma.test", "edit", "ben", NOT_FOUND),
    ("gus@gamma.test", "delete", "ben", NOT_FOUND), ("gus@gamma.test", "read", "sue", NOT_FOUND),
    # a patron on guest.alpha.test: the same as for a chat that does not exist
    (PATRON, "read", "ben", NOT_FOUND), (PATRON, "delete", "abe", NOT_FOUND),
    (PATRON, "feedback", "ben", NOT_FOUND),
]


@pytest.mark.parametrize(("who", "action", "chat", "outcome"), TABLE)
async def test_each_level_at_home_and_elsewhere_may_do_exactly_what_the_seed_says(
        lab: dict[str, Any], chats: dict[str, str], who: str, action: str, chat: str,
        outcome: str) -> None:
    home = BETA if chat == "beta" else ALPHA
    async with client(lab, who) as session:
        assert await _outcome(session, home, action, chats[chat]) == outcome


@pytest.mark.parametrize(("who", "expected"), [
    ("ann@alpha.test", {"ben", "abe", "sue"}), ("abe@alpha.test", {"abe"}),
    ("ben@beta.test", {"ben"}), ("bea@beta.test", {"ben"}), ("sam@coop.test", {"sue"}),
    ("sue@coop.test", {"sue"}), ("gus@gamma.test", set()), (PATRON, set()),
])
async def test_each_reader_lists_and_counts_only_the_alpha_chats_they_may_see(
        lab: dict[str, Any], chats: dict[str, str], who: str, expected: set[str]) -> None:
    async with client(lab, who) as session:
        shown = await listing(session, ALPHA, text=MARK)
    assert set(shown.ids) == {chats[name] for name in expected}
    assert shown.count == len(expected)


async def test_a_chat_that_does_not_exist_is_answered_as_one_the_asker_may_not_see(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "ann@alpha.test") as ann:
        assert await refused(ann, ALPHA, element("transcript", id="nope")) == NOT_FOUND
        assert await refused(ann, ALPHA, element("delete", id="nope"), "set") == NOT_FOUND


async def test_home_admin_sees_the_whole_chat_and_what_she_may_do_others_read_only(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "sam@coop.test") as sam:
        full = await transcript(ann, ALPHA, chats["ben"])
        seen_by_sam = await transcript(sam, ALPHA, chats["sue"])
    ns = "{urn:refdesk:archive:0}"
    assert full.get("may") == "edit delete email feedback"
    assert (full.get("librarian"), full.get("institution")) == ("ben@beta.test", BETA)
    assert "coop-local" in (full.get("coops") or "").split()
    assert [line.get("sender") for line in full.findall(f"{ns}line")][:1] == ["patron"]
    rating = full.find(f"{ns}rating")
    assert rating is not None and rating.get("score") == "4"
    assert seen_by_sam.get("may") == ""
    assert seen_by_sam.get("librarian") == "sue@coop.test"


async def test_an_edited_line_shows_as_edited_to_the_librarian_who_answered(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben:
        await _ok(ann, element("edit", f"[name removed] {MARK}", id=chats["ben"], seq="1"))
        lines = (await transcript(ben, ALPHA, chats["ben"])).findall(
            "{urn:refdesk:archive:0}line")
    assert (lines[0].text, lines[0].get("edited") is not None) == (
        f"[name removed] {MARK}", True)


async def test_feedback_left_by_alpha_is_read_by_the_beta_librarian_who_answered(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben:
        await _ok(ann, element("feedback", "Thorough; cite the catalogue link next time",
                               id=chats["ben"], rating="5"))
        await _ok(ann, element("feedback", "Thorough and friendly", id=chats["ben"],
                               rating="4"))
        seen = (await transcript(ben, ALPHA, chats["ben"])).findall(
            "{urn:refdesk:archive:0}feedback")
        listed = await listing(ben, ALPHA, text=MARK)
    assert [(f.get("author"), f.text, f.get("rating")) for f in seen] == [
        ("ann@alpha.test", "Thorough and friendly", "4")]
    assert listed.summaries[0].get("feedback") == "1"


async def _ok(session: Session, payload: Any) -> None:
    await ask(session, ALPHA, payload, "set")


@pytest.mark.parametrize(("search", "expected"), [
    ({"librarian": "ben@beta.test"}, {"ben"}),
    ({"institution": "coop.test"}, {"sue"}),
    ({"widget": "alpha-main"}, {"ben", "abe", "sue"}),
    ({"coop": "coop-247"}, {"sue"}),
    ({"rating": "5"}, {"abe"}),
    ({"start": "2000-01-01T00:00:00Z", "end": "2000-01-02T00:00:00Z"}, set()),
    ({"start": "2000-01-01T00:00:00Z"}, {"ben", "abe", "sue"}),
])
async def test_a_home_admin_searches_by_each_filter(
        lab: dict[str, Any], chats: dict[str, str], search: dict[str, str],
        expected: set[str]) -> None:
    async with operator(lab, "ann@alpha.test") as ann:
        shown = await listing(ann, ALPHA, text=MARK, **search)
        by_text = await listing(ann, ALPHA, text=f"printing CREDITS {MARK}")
    assert set(shown.ids) == {chats[name] for name in expected}
    assert by_text.ids == [chats["abe"]]


async def test_a_home_admin_pages_through_the_chats_newest_first(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    async with operator(lab, "ann@alpha.test") as ann:
        first = await listing(ann, ALPHA, text=MARK, max_items=2)
        second = await listing(ann, ALPHA, text=MARK, max_items=2, after=first.last)
        back = await listing(ann, ALPHA, text=MARK, max_items=2, before=second.first)
    assert first.ids == [chats["sue"], chats["abe"]]
    assert second.ids == [chats["ben"]]
    assert back.ids == first.ids
    assert first.count == second.count == 3


async def test_bad_input_gets_a_clear_error(lab: dict[str, Any], chats: dict[str, str]) -> None:
    async with operator(lab, "ann@alpha.test") as ann:
        bad_date = await _refused_with_text(ann, element("transcripts"), "get",
                                            {"start": "yesterday"})
        bad_cursor = await _refused_with_text(ann, element("transcripts"), "get", {},
                                              after="not-a-cursor")
    assert bad_date == ("bad-request", True)
    assert bad_cursor == ("bad-request", True)


async def _refused_with_text(session: Session, request: Any, kind: Kind,
                             filters: dict[str, str], after: str | None = None
                             ) -> tuple[str, bool]:
    """Sent unvalidated: the XSD would refuse these before the archive sees them."""
    if filters:
        ET.SubElement(request, "{urn:refdesk:archive:0}filter", filters)
    if after:
        rsm = ET.SubElement(request, "{http://jabber.org/protocol/rsm}set")
        ET.SubElement(rsm, "{http://jabber.org/protocol/rsm}after").text = after
    iq = session.xmpp.make_iq(ito=f"archive.{ALPHA}", itype=kind)
    iq.xml.append(request)
    try:
        await iq.send(timeout=15)
    except IqError as error:
        return str(error.iq["error"]["condition"]), bool(error.iq["error"]["text"])
    raise AssertionError("accepted")


async def test_deletion_at_home_is_seen_at_once_from_beta(lab: dict[str, Any]) -> None:
    doomed = await answered_chat(lab, ALPHA, "alpha-main", f"Lost card {MARK}-doomed",
                                 "ben@beta.test", coop_room(lab, "coop-local"), 3)
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "bea@beta.test") as bea:
        before = await listing(bea, ALPHA, text=f"{MARK}-doomed")
        assert (before.ids, before.count) == ([doomed], 1)
        await transcript(bea, ALPHA, doomed)
        await _ok(ann, element("delete", id=doomed))
        assert await refused(bea, ALPHA, element("transcript", id=doomed)) == NOT_FOUND
        after = await listing(bea, ALPHA, text=f"{MARK}-doomed")
        assert (after.ids, after.count) == ([], 0)
        assert await refused(ann, ALPHA, element("transcript", id=doomed)) == NOT_FOUND


def _filled(reply: Any, values: dict[str, str]) -> Any:
    form = reply["command"]["form"]
    form["type"] = "submit"
    for var, value in values.items():
        form.get_fields()[var]["value"] = value
    return form


async def test_a_beta_librarian_finds_and_reads_an_alpha_transcript_from_a_stock_client(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    archive = f"archive.{ALPHA}"
    async with operator(lab, "ben@beta.test") as ben:
        opened = await command(ben, archive, "transcripts")
        listed = await command(ben, archive, "transcripts", action="next",
                               payload=_filled(opened, {"text": MARK}),
                               sessionid=opened["command"]["sessionid"])
        options = listed["command"]["form"].get_fields()["chat"]["options"]
        listed_in_poezio = shown_by_poezio(listed)
        shown = await command(ben, archive, "transcripts", action="complete",
                              payload=_filled(listed, {"chat": chats["ben"]}),
                              sessionid=listed["command"]["sessionid"])
    assert [option["value"] for option in options] == [chats["ben"]]
    assert len(shown["command"]["notes"]) == 1
    text = shown_by_poezio(shown)
    # Every option poezio can show names its chat (it shows no longer label).
    assert all(option["label"] in listed_in_poezio for option in options)
    assert "Answered by Ben <ben@beta.test> of beta.test" in text
    assert "advanced search" in text
    assert "You may read this transcript only." in text


async def test_an_alpha_admin_leaves_feedback_from_a_stock_client_and_a_patron_cannot(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    archive = f"archive.{ALPHA}"
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "gus@gamma.test") as gus:
        opened = await command(ann, archive, "feedback")
        done = await command(ann, archive, "feedback", action="complete",
                             payload=_filled(opened, {"chat": chats["sue"], "rating": "3",
                                                      "text": "Quick, but no sources given"}),
                             sessionid=opened["command"]["sessionid"])
        seen = (await transcript(ann, ALPHA, chats["sue"])).findall(
            "{urn:refdesk:archive:0}feedback")
        theirs = await command(gus, archive, "feedback")
        with pytest.raises(IqError) as refusal:
            await command(gus, archive, "feedback", action="complete",
                          payload=_filled(theirs, {"chat": chats["sue"], "text": "Hm"}),
                          sessionid=theirs["command"]["sessionid"])
    assert "kept with the transcript" in notes(done)
    assert [(f.get("author"), f.get("rating")) for f in seen] == [("ann@alpha.test", "3")]
    assert refusal.value.iq["error"]["condition"] == NOT_FOUND


async def _typed(session: Session, text: str) -> str:
    since = session.messages.mark()
    session.xmpp.send_message(mto=JID(f"archive.{ALPHA}"), mbody=text, mtype="chat")
    reply = await session.messages.wait_for(
        lambda m: m["from"] == f"archive.{ALPHA}" and m["type"] == "chat", since=since)
    return str(reply["body"])


async def test_a_librarian_without_ad_hoc_commands_reads_transcripts_by_typing(
        lab: dict[str, Any], chats: dict[str, str]) -> None:
    async with operator(lab, "ben@beta.test") as ben, patron(lab, ALPHA) as pat:
        listed = await _typed(ben, f"!transcripts {MARK}")
        read = await _typed(ben, f"!transcript {chats['ben']}")
        hidden = await _typed(ben, f"!transcript {chats['sue']}")
        missing = await _typed(ben, "!transcript nope")
        by_patron = await _typed(pat, f"!transcripts {MARK}")
    assert listed.splitlines()[0] == "1 chat:" and chats["ben"] in listed
    assert chats["sue"] not in listed
    assert "Answered by Ben <ben@beta.test>" in read and "advanced search" in read
    assert hidden == missing == "There is no such chat in this library's archive."
    assert by_patron == "No chat you may read matches."
