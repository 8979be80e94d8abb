"""What a co-op's registry records, content-free: who monitored the co-op and when, and a
summary of every co-op chat that its patron's home library sends when the chat ends."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import IqError

from components.coop import summary
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore, Session, Summary
from tests.integration.queue import asking, carrying, claim_by_text, coop_room, database_url, join
from tests.integration.xmpp import eventually, operator, patron

QUESTION = "Which journals cover glacier retreat?"


async def _activity(lab: dict[str, Any]) -> tuple[list[Session], list[Summary]]:
    """coop-247's records in its host's database."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        store = ActivityStore(create_sessionmaker(engine))
        return await store.sessions("coop-247"), await store.summaries("coop-247")
    finally:
        await engine.dispose()


async def _sessions_of(lab: dict[str, Any], jid: str, since: datetime) -> list[Session]:
    return [s for s in (await _activity(lab))[0] if s.operator == jid and s.started_at >= since]


async def test_the_247_registry_records_each_stretch_ben_monitors_the_coop(
    lab: dict[str, Any],
) -> None:
    since = datetime.now(UTC)
    async with operator(lab, "ben@beta.test") as ben:
        await join(ben, coop_room(lab, "coop-247"), "Ben")

        async def open_sessions() -> list[bool]:
            return [s.ended_at is None for s in await _sessions_of(lab, ben.jid, since)]
        await eventually(open_sessions, [True])
        ben.xmpp.send_presence(pto=JID(f"{coop_room(lab, 'coop-247')}/Ben"), pshow="away")
        await eventually(open_sessions, [False])  # away is in the room, not monitoring
        ben.xmpp.send_presence(pto=JID(f"{coop_room(lab, 'coop-247')}/Ben"))
        await eventually(open_sessions, [False, True])
    await eventually(open_sessions, [False, False])  # gone: the session ends with him

    first, second = await _sessions_of(lab, ben.jid, since)
    assert (first.institution, first.coop) == ("beta.test", "coop-247")
    assert first.ended_at is not None and second.ended_at is not None
    assert first.started_at < first.ended_at <= second.started_at < second.ended_at


async def test_an_alpha_chat_bea_answers_through_the_247_coop_is_summarised_without_words(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", QUESTION) as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            await claim_by_text(bea, chat)
            bea.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
            rating = pat.xmpp.make_iq_set(ito=chat)
            rating["refdesk_rating"]["score"], rating["refdesk_rating"]["comment"] = 4, QUESTION
            await rating.send(timeout=10)
    chat_id = chat.split("@")[0].removeprefix("chat-")

    async def reported() -> tuple[object, ...] | None:
        found = [s for s in (await _activity(lab))[1] if s.chat_id == chat_id]
        return (found[0].home, found[0].widget_id, found[0].answered_by,
                found[0].answered_institution, found[0].rating) if found else None
    await eventually(reported, ("alpha.test", "alpha-main", "bea@beta.test", "beta.test", 4))
    report = next(s for s in (await _activity(lab))[1] if s.chat_id == chat_id)
    assert report.claimed_at is not None
    assert report.requested_at <= report.claimed_at <= report.ended_at
    assert QUESTION not in repr(report)


async def test_a_librarian_cannot_pass_off_a_summary_as_a_member_librarys(
    lab: dict[str, Any],
) -> None:
    summary.register()
    async with operator(lab, "gus@gamma.test") as gus:
        forged = gus.xmpp.make_iq_set(ito="coop.coop.test")
        now = datetime.now(UTC)
        summary.write(forged["refdesk_summary"], Summary(
            "coop-247", "gamma.test", f"forged{int(time.time())}", "gamma-main", now, now))
        try:
            await forged.send(timeout=10)
        except IqError as error:
            assert error.condition == "forbidden"
        else:
            raise AssertionError("the registry took a summary from a librarian")
    assert not [s for s in (await _activity(lab))[1] if s.chat_id.startswith("forged")]


async def test_a_coop_chat_given_up_before_anyone_claimed_it_still_counts_as_requested(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", QUESTION) as chat:
            await ben.messages.wait_for(carrying("offer", chat))
    chat_id = chat.split("@")[0].removeprefix("chat-")  # left waiting: cancelled on the way out

    async def reported() -> tuple[object, ...] | None:
        found = [s for s in (await _activity(lab))[1] if s.chat_id == chat_id]
        return (found[0].claimed_at, found[0].answered_by) if found else None
    await eventually(reported, (None, None))
