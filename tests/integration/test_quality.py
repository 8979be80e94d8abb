"""The co-op's Quality team at the 24/7 registry (coop.coop.test), across the federation: a
library's admin forwards a session with a concern, the team reviews it, the librarian who
answered gets the comments and the library sees the outcome; the proactive sample; and
everyone else is told no such chat exists."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from components.coop.quality_wire import NS
from components.errors import error_condition
from components.forms import text_of
from refdesk.db.stores.activity import Summary
from tests.integration.quality import (
    REGISTRY,
    ask,
    cases,
    forward,
    found,
    listed,
    refusal,
    review,
    rotation,
    summarised,
    summary_at_registry,
)
from tests.integration.queue import (
    asking,
    carrying,
    chat_id,
    claim_by_text,
    command,
    coop_room,
    join,
    notes,
)
from tests.integration.xmpp import eventually, operator, patron

QUESTION = "Do you have the 1911 census for my county?"
CONCERN = "The patron was told to search Google and left."
COMMENTS = "Point patrons to the library's census databases first; see the co-op guide."


async def _answered_by_bea(lab: dict[str, Any]) -> str:
    """An Alpha patron's chat that Bea at Beta answers through the 24/7 co-op; its id, once
    the registry has its summary."""
    async with (operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", QUESTION) as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            await claim_by_text(bea, chat)
            bea.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
    await eventually(lambda: summary_at_registry(lab, chat_id(chat)))
    return chat_id(chat)


def _comments_for(chat_id: str) -> Any:
    def match(message: Any) -> bool:
        case = found(message, "case") if message["from"] == JID(REGISTRY) else None
        return case is not None and case.get("chat") == chat_id
    return match


async def test_ann_forwards_a_chat_bea_answered_sue_reviews_and_bea_gets_the_comments(
    lab: dict[str, Any],
) -> None:
    chat_id = await _answered_by_bea(lab)
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "sue@coop.test") as sue,
                operator(lab, "bea@beta.test") as bea):
        case = await ask(ann, "set", forward("coop-247", "alpha.test", chat_id, CONCERN), "case")
        assert (case.get("librarian"), case.get("institution"), case.get("forwarded-by")) == (
            "bea@beta.test", "beta.test", "ann@alpha.test")
        assert listed(await ask(ann, "get", cases("coop-247"), "cases"))[chat_id] is not None
        before_review = bea.messages.mark()
        open_cases = listed(await ask(sue, "get", cases("coop-247"), "cases"))
        assert open_cases[chat_id].findtext(f"{{{NS}}}concern") == CONCERN
        reviewed = await ask(sue, "set", review(str(case.get("id")), COMMENTS), "case")
        assert (reviewed.get("state"), reviewed.get("reviewed-by")) == ("reviewed", sue.jid)

        message = await bea.messages.wait_for(_comments_for(chat_id), since=before_review)
        assert COMMENTS in message["body"]
        sent = found(message, "case")
        assert sent is not None and sent.findtext(f"{{{NS}}}comments") == COMMENTS
        assert sent.find(f"{{{NS}}}concern") is None  # the comments, not who complained
        outcome = listed(await ask(ann, "get", cases("coop-247", "reviewed"), "cases"))
        assert outcome[chat_id].findtext(f"{{{NS}}}comments") == COMMENTS
        hers = listed(await ask(bea, "get", cases("coop-247", "reviewed"), "cases"))
        assert hers[chat_id].findtext(f"{{{NS}}}comments") == COMMENTS



def _seeded_chat(answered_by: str, requested: datetime, home: str = "alpha.test") -> Summary:
    return Summary("coop-247", home, f"q-{uuid.uuid4().hex[:12]}", "alpha-main", requested,
                   requested + timedelta(minutes=12), requested + timedelta(minutes=1),
                   answered_by, answered_by.partition("@")[2])


async def test_a_regular_user_another_librarys_admin_and_a_patron_learn_nothing_of_a_chat(
    lab: dict[str, Any],
) -> None:
    chat = _seeded_chat("bea@beta.test", datetime.now(UTC) - timedelta(days=1))
    await summarised(lab, [chat])
    unknown = forward("coop-247", "alpha.test", "no-such-chat", CONCERN)
    real = forward("coop-247", "alpha.test", chat.chat_id, CONCERN)
    async with operator(lab, "ann@alpha.test") as ann:
        not_found = await refusal(ann, "set", unknown)
    assert not_found[0] == "item-not-found"
    for jid in ("ben@beta.test", "bea@beta.test", "gus@gamma.test", "sue@coop.test"):
        async with operator(lab, jid) as someone:
            assert await refusal(someone, "set", real) == not_found, jid
    async with patron(lab, "alpha.test") as pat:
        condition, _ = await refusal(pat, "set", real)
        assert condition  # refused on the way: guests never reach another domain

    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "sue@coop.test") as sue,
                operator(lab, "ben@beta.test") as ben, operator(lab, "gus@gamma.test") as gus):
        case = await ask(ann, "set", real, "case")
        for someone in (ben, gus):
            assert chat.chat_id not in listed(await ask(someone, "get", cases("coop-247", "all"),
                                                        "cases"))
        no_case = await refusal(gus, "set", review("999999999", COMMENTS))
        assert no_case[0] == "item-not-found"
        assert await refusal(gus, "set", review(str(case.get("id")), COMMENTS)) == (
            no_case[0], no_case[1].replace("999999999", str(case.get("id"))))
        assert (await refusal(ann, "set", review(str(case.get("id")), COMMENTS)))[0] == \
            "forbidden"  # she sees the case, but reviewing is the team's
        assert (await ask(sue, "get", cases("coop-247"), "cases")) is not None


async def test_sue_draws_two_sessions_of_each_librarian_from_a_seeded_month_never_twice(
    lab: dict[str, Any],
) -> None:
    run = uuid.uuid4().hex[:8]
    librarians = [f"{name}-{run}@{domain}" for name, domain in
                  (("bo", "beta.test"), ("gia", "gamma.test"), ("cy", "coop.test"))]
    start = datetime.now(UTC) - timedelta(days=29)
    month = [_seeded_chat(who, start + timedelta(days=day * 5, hours=i))
             for i, who in enumerate(librarians) for day in range(5)]
    await summarised(lab, month)
    async with operator(lab, "sam@coop.test") as sam, operator(lab, "sue@coop.test") as sue:
        set_to = rotation(**{"per-library": "0", "per-librarian": "2", "every-days": "30"})
        saved = await ask(sam, "set", set_to, "rotation")
        assert (saved.get("per-librarian"), saved.get("every-days")) == ("2", "30")
        assert (await refusal(sue, "set", set_to))[0] == "forbidden"
        draws = []
        for _ in range(3):
            drawn = await ask(sue, "set", ET.Element(f"{{{NS}}}draw", {"coop": "coop-247"}),
                              "cases")
            draws.append([c for c in drawn if c.get("librarian") in librarians])
        per_draw = [sorted(str(c.get("librarian")) for c in draw) for draw in draws]
        assert per_draw == [sorted(librarians * 2), sorted(librarians * 2), sorted(librarians)]
        chats = [str(c.get("chat")) for draw in draws for c in draw]
        assert len(chats) == len(set(chats)) == 15
        assert (await ask(sue, "get", rotation(), "rotation")).get("last-drawn")
    async with operator(lab, "ann@alpha.test") as ann:
        assert (await refusal(ann, "set", ET.Element(f"{{{NS}}}draw", {"coop": "coop-247"})))[0] \
            == "forbidden"


async def _command(session: Any, node: str, **values: str) -> Any:
    """Run `node` at the registry (for coop-247 where it asks which co-op), submitting
    `values` if given; the last answer."""
    reply = await command(session, REGISTRY, node)
    if "coop" in reply["command"]["form"].get_fields():
        reply = await command(session, REGISTRY, node, action="next",
                              payload=_filled(reply, {"coop": "coop-247"}),
                              sessionid=reply["command"]["sessionid"])
    if not values:
        return reply
    return await command(session, REGISTRY, node, action="complete",
                         payload=_filled(reply, values), sessionid=reply["command"]["sessionid"])


def _filled(reply: Any, values: dict[str, str]) -> Any:
    form = reply["command"]["form"]
    form["type"] = "submit"
    for var, value in values.items():
        form.field[var]["value"] = value
    return form


async def test_sue_reviews_a_case_from_a_stock_client_and_ben_gets_the_comments(
    lab: dict[str, Any],
) -> None:
    chat = _seeded_chat("ben@beta.test", datetime.now(UTC) - timedelta(hours=3))
    await summarised(lab, [chat])
    async with operator(lab, "ann@alpha.test") as ann:
        case = await ask(ann, "set", forward("coop-247", "alpha.test", chat.chat_id, CONCERN),
                         "case")
    async with operator(lab, "sue@coop.test") as sue, operator(lab, "ben@beta.test") as ben:
        shown = await command(sue, REGISTRY, "quality")
        listing = text_of(shown["command"]["form"])
        assert chat.chat_id in listing and CONCERN in listing
        mark = ben.messages.mark()
        done = await command(sue, REGISTRY, "quality", action="complete",
                             payload=_filled(shown, {"case": str(case.get("id")),
                                                     "comments": COMMENTS}),
                             sessionid=shown["command"]["sessionid"])
        assert "reviewed" in notes(done)
        message = await ben.messages.wait_for(_comments_for(chat.chat_id), since=mark)
        assert COMMENTS in message["body"]
        # Ben, a Regular user, sees his reviewed session and nothing of the concern.
        his = text_of((await command(ben, REGISTRY, "quality"))["command"]["form"])
        assert COMMENTS in his and CONCERN not in his


async def test_sam_puts_gus_on_the_quality_team_and_an_institution_admin_cannot(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "sam@coop.test") as sam, operator(lab, "gus@gamma.test") as gus,
                operator(lab, "ann@alpha.test") as ann):
        assert (await refusal(gus, "get", rotation()))[0] == "forbidden"
        with pytest.raises(IqError) as refused:
            await _command(ann, "roles", action="quality-on", jid="ann@alpha.test")
        assert error_condition(refused.value.iq) == "forbidden"
        done = await _command(sam, "roles", action="quality-on", jid="gus@gamma.test")
        assert "Quality team" in notes(done)
        assert (await ask(gus, "get", rotation(), "rotation")).get("coop") == "coop-247"
        await _command(sam, "roles", action="quality-off", jid="gus@gamma.test")
        assert (await refusal(gus, "get", rotation()))[0] == "forbidden"
