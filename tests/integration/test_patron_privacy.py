"""Patron privacy as libraries expect: the archive applies the library's retention rules on
its schedule, only home admins purge, and a widget that keeps no transcript leaves only the
co-op's content-free summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore
from refdesk.db.stores.privacy import ANONYMOUS_JID
from tests.integration.privacy import ended_at, purge, stored
from tests.integration.queue import (
    asking,
    carrying,
    chat_id,
    claim_by_text,
    coop_room,
    database_url,
    join,
    room,
    site,
)
from tests.integration.xmpp import Session, eventually, operator, patron

QUESTION = "Can you find my interlibrary loan? My card is 2940-1177."
NAME, EMAIL = "Pat Quinn", "pat.quinn@example.org"


ALPHA = ("alpha.test", "alpha-main", "ann@alpha.test", "Reference")
GAMMA = ("gamma.test", "gamma-main", "gus@gamma.test", "Information Desk")


async def _answered(lab: dict[str, Any], desk: tuple[str, str, str, str] = ALPHA) -> str:
    """A chat the desk's librarian answers, from a patron who gave a name and an email."""
    library, widget, librarian, department = desk
    async with operator(lab, librarian) as staff, patron(lab, library) as pat:
        await join(staff, room(lab, library, department), librarian.split("@")[0])
        async with asking(pat, library, widget, QUESTION, name=NAME, email=EMAIL,
                          user_agent="Firefox/140") as chat:
            await staff.messages.wait_for(carrying("offer", chat))
            await claim_by_text(staff, chat)
            staff.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
    return chat


async def _patron_of(lab: dict[str, Any], chat: str) -> tuple[object, ...] | None:
    row, _ = await stored(lab, chat)
    if row is None:
        return None
    return (row.patron_name, row.patron_email, row.user_agent, row.anonymised_at is not None)


async def test_gamma_archive_strips_the_patron_then_deletes_the_chat_as_its_rules_say(
    lab: dict[str, Any],
) -> None:
    """Gamma's rules in the lab: the patron's details kept 5 years, transcripts 10."""
    rules = site(lab, "gamma.test")["retention"]
    chat = await _answered(lab, GAMMA)
    now = datetime.now(UTC)
    await ended_at(lab, chat, now - timedelta(days=rules["patron_details_days"] - 1))
    assert await _patron_of(lab, chat) == (NAME, EMAIL, "Firefox/140", False)
    await ended_at(lab, chat, now - timedelta(days=rules["patron_details_days"] + 1))
    await eventually(lambda: _patron_of(lab, chat), (None, None, None, True))
    row, lines = await stored(lab, chat)
    assert row is not None and row.patron_jid == ANONYMOUS_JID
    assert lines[0] == QUESTION and row.claimed_by == "gus@gamma.test"  # the words stay
    await ended_at(lab, chat, now - timedelta(days=rules["transcripts_days"] + 1))
    await eventually(lambda: stored(lab, chat), (None, []))


@pytest.mark.parametrize("asker", ["guest", "abe@alpha.test", "bea@beta.test"])
async def test_only_alpha_admins_may_purge_alpha_transcripts(
    lab: dict[str, Any], asker: str,
) -> None:
    """A patron on Alpha's guest host, an Alpha librarian who is no admin and Beta's own admin
    are all refused alike, and nothing is purged."""
    chat = await _answered(lab)
    when = datetime.now(UTC) - timedelta(days=5)
    await ended_at(lab, chat, when)
    session = patron(lab, "alpha.test") if asker == "guest" else operator(lab, asker)
    async with session as someone:
        with pytest.raises(IqError) as refused:
            await purge(someone, "alpha.test", when - timedelta(hours=1),
                        when + timedelta(hours=1), "delete")
    assert refused.value.condition == "forbidden"
    assert refused.value.text == "Only the library's admins may purge its transcripts."
    assert await _patron_of(lab, chat) == (NAME, EMAIL, "Firefox/140", False)


async def test_ann_anonymises_then_deletes_alpha_chats_of_a_date_range(
    lab: dict[str, Any],
) -> None:
    inside, outside = await _answered(lab), await _answered(lab)
    when = datetime.now(UTC) - timedelta(days=10)
    await ended_at(lab, inside, when)
    await ended_at(lab, outside, when - timedelta(days=2))
    start, end = when - timedelta(days=1), when + timedelta(days=1)
    async with operator(lab, "ann@alpha.test") as ann:
        with pytest.raises(IqError) as backwards:
            await purge(ann, "alpha.test", end, start, "delete")
        assert await purge(ann, "alpha.test", start, end, "anonymise") == 1
        assert await _patron_of(lab, inside) == (None, None, None, True)
        assert await purge(ann, "alpha.test", start, end, "anonymise") == 0
        assert await purge(ann, "alpha.test", start, end, "delete") == 1
    assert backwards.value.condition == "bad-request"
    assert backwards.value.text == "The period's start must come before its end."
    assert await stored(lab, inside) == (None, [])
    assert await _patron_of(lab, outside) == (NAME, EMAIL, "Firefox/140", False)


async def _summary_of(lab: dict[str, Any], chat: str) -> tuple[object, ...] | None:
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        summaries = await ActivityStore(create_sessionmaker(engine)).summaries("coop-247")
    finally:
        await engine.dispose()
    found = [s for s in summaries if s.chat_id == chat_id(chat)]
    return (found[0].widget_id, found[0].answered_by, found[0].rating) if found else None


async def _rate(pat: Session, chat: str, score: int) -> None:
    rating = pat.xmpp.make_iq_set(ito=chat)
    rating["refdesk_rating"]["score"], rating["refdesk_rating"]["comment"] = score, "Thanks"
    await rating.send(timeout=10)


async def test_a_chat_from_alphas_confidential_widget_leaves_only_the_coop_summary(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-private", QUESTION, name=NAME,
                          email=EMAIL) as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            await claim_by_text(bea, chat)
            since = pat.messages.mark()
            bea.xmpp.send_message(mto=JID(chat), mbody="Found it: it is on hold.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Found it: it is on hold.",
                                        since=since)
            row, lines = await stored(lab, chat)
            assert row is not None and row.patron_name == NAME  # kept while it runs
            assert "Found it: it is on hold." in lines
            bea.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
            await eventually(lambda: _patron_of(lab, chat), (None, None, None, False))
            assert (await stored(lab, chat))[1] == []
            await _rate(pat, chat, 5)  # the patron may still rate: then the address goes
    await eventually(lambda: _patron_of(lab, chat), (None, None, None, True))
    row, lines = await stored(lab, chat)
    assert row is not None and (row.patron_jid, row.rating, lines) == (ANONYMOUS_JID, 5, [])
    assert (row.question, row.comment) == ("", None)
    await eventually(lambda: _summary_of(lab, chat), ("alpha-private", "bea@beta.test", 5))
