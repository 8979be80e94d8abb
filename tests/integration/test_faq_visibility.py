"""Who finds which of Alpha's FAQs, asked of faq.alpha.test from across the federation
(schemas/faq.xsd's header; refdesk.lab.sample_faqs): a Beta librarian covering Alpha's
patrons finds the public and 24/7 Staffing FAQs, Alpha's operators their Internal ones too,
its local admin everything searchable; a patron never sees 24/7 Staffing content by any
route, and neither does a librarian without chat access in Alpha's co-ops. A group or FAQ
someone may not read is answered exactly as a missing one."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from functools import partial
from typing import Any

from tests.integration import faq
from tests.integration.chataccess import chat_switched_off, registry_says_chat
from tests.integration.faq import by_id, faq_request, group_request, import_request
from tests.integration.xmpp import Session, eventually, operator, patron

ALPHA = "alpha.test"
EVERY_GROUP = "renew printer overtime database alert fax"
"""Words found in each of Alpha's sample groups."""
MISSING = 999_999


async def _found(session: Session, words: str = EVERY_GROUP) -> set[str]:
    return {found.availability for found in await faq.search(session, ALPHA, words)}


async def _group_id(admin: Session, availability: str) -> int:
    return next(g.id for g in await faq.groups(admin, ALPHA) if g.availability == availability)


async def test_beta_librarian_finds_alpha_public_and_staffing_faqs_and_nothing_hidden_or_internal(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ben@beta.test") as ben:
        found = await faq.search(ben, ALPHA, EVERY_GROUP)
        listed = await faq.groups(ben, ALPHA)

    assert {f.availability for f in found} == {"public", "staffing"}
    assert all(f.staff_only == (f.availability == "staffing") for f in found)
    assert "Database login for co-op librarians" in {f.question for f in found}
    assert {(g.name, g.availability, g.count) for g in listed} == {
        ("Borrowing", "public", 2), ("24/7 Staffing", "staffing", 2)}


async def test_search_ranks_the_question_that_matches_first(lab: dict[str, Any]) -> None:
    async with operator(lab, "ben@beta.test") as ben:
        found = await faq.search(ben, ALPHA, "database login")
        typing = await faq.search(ben, ALPHA, "how do I ren", 1)

    assert found[0].question == "Database login for co-op librarians"
    assert [f.question for f in typing] == ["How do I renew my books?"]


async def test_alpha_operator_also_finds_internal_and_its_local_admin_restricted_internal(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "abe@alpha.test") as abe, operator(lab, "ann@alpha.test") as ann:
        assert await _found(abe) == {"public", "staffing", "internal"}
        assert await _found(ann) == {"public", "staffing", "internal", "restricted-internal"}
        # Hidden groups are searched by no one; the local admins list them to edit them.
        assert "hidden" in {g.availability for g in await faq.groups(ann, ALPHA)}
        assert "hidden" not in {g.availability for g in await faq.groups(abe, ALPHA)}


async def test_patron_never_gets_staffing_content_by_search_listing_or_id(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, patron(lab, ALPHA) as pat:
        staffing = await _group_id(ann, "staffing")
        secret = (await faq.faqs(ann, ALPHA, staffing))[0]

        assert await _found(pat) == {"public"}
        assert await _found(pat, "coop247 tulip password credentials login") == set()
        assert [g.availability for g in await faq.groups(pat, ALPHA)] == ["public"]
        await _answered_as_missing(pat, staffing, secret.id)


async def _answered_as_missing(session: Session, group: int, faq_id: int) -> None:
    """Every request naming the group or FAQ gets exactly what a missing one gets."""
    for kind, present, absent in (
            ("get", by_id("faqs", group, "group"), by_id("faqs", MISSING, "group")),
            ("set", by_id("delete-group", group), by_id("delete-group", MISSING)),
            ("set", group_request("Mine", "public", group), group_request("Mine", "public",
                                                                          MISSING)),
            ("set", by_id("delete-faq", faq_id), by_id("delete-faq", MISSING)),
            ("set", faq_request(group, "Q?", "A."), faq_request(MISSING, "Q?", "A.")),
    ):
        refused = await faq.refusal(session, ALPHA, present, kind)  # type: ignore[arg-type]
        assert refused[0] == "item-not-found"
        assert refused == await faq.refusal(session, ALPHA, absent, kind)  # type: ignore[arg-type]


async def test_gamma_librarian_outside_alphas_staffing_gets_nothing_from_its_staffing_group(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "gil@gamma.test") as gil:
        staffing = await _group_id(ann, "staffing")
        secret = (await faq.faqs(ann, ALPHA, staffing))[0]
        # Gamma is in the 24/7 co-op with Alpha but does not staff it: its librarians answer
        # only their own patrons, so Alpha's staff-only notes are not theirs to read.
        assert await _found(gil) == {"public"}
        assert [g.availability for g in await faq.groups(gil, ALPHA)] == ["public"]
        await _answered_as_missing(gil, staffing, secret.id)


async def test_beta_librarian_whose_chat_access_is_switched_off_loses_alphas_staffing_group(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "bo@beta.test") as bo:
        staffing = await _group_id(ann, "staffing")
        secret = (await faq.faqs(ann, ALPHA, staffing))[0]
        assert await _found(bo) == {"public", "staffing"}
        async with chat_switched_off(lab, "bo@beta.test"):
            await eventually(partial(_found, bo), {"public"}, timeout=15)
            assert [g.availability for g in await faq.groups(bo, ALPHA)] == ["public"]
            await _answered_as_missing(bo, staffing, secret.id)
        # Back on: the registry hears it from Beta again, as the next stories expect.
        await eventually(partial(registry_says_chat, lab, "bo@beta.test"), timeout=15)
        await eventually(partial(_found, bo), {"public", "staffing"}, timeout=15)




async def test_alpha_admin_edit_is_searchable_at_once_and_others_cannot_edit(
    lab: dict[str, Any],
) -> None:
    word = f"zq{uuid.uuid4().hex[:8]}"
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "abe@alpha.test") as abe,
                operator(lab, "ben@beta.test") as ben, patron(lab, ALPHA) as pat):
        group = await faq.save_group(ann, ALPHA, f"Story {word}", "public")
        try:
            saved = await faq.save_faq(ann, ALPHA, group.id, f"Where is the {word}?", "Here.")
            # Found at once; who wrote it is for staff, never a patron.
            assert [(f.id, f.updated_by) for f in await faq.search(pat, ALPHA, word[:5])] == [
                (saved.id, None)]
            assert [(f.id, f.updated_by) for f in await faq.search(ben, ALPHA, word)] == [
                (saved.id, "ann@alpha.test")]

            for other in (abe, ben, pat):
                assert (await faq.refusal(other, ALPHA, faq_request(group.id, "Q?", "A."),
                                          "set"))[0] == "forbidden"
                assert (await faq.refusal(other, ALPHA, by_id("delete-faq", saved.id),
                                          "set"))[0] == "forbidden"
            await faq.save_faq(ann, ALPHA, group.id, "Where is the atlas?", "Level 3.",
                               faq_id=saved.id)
            assert await faq.search(pat, ALPHA, word) == []
            assert [f.question for f in await faq.search(pat, ALPHA, "atlas")] == [
                "Where is the atlas?"]
        finally:
            await faq.ask(ann, ALPHA, by_id("delete-group", group.id), "set")
        assert await faq.search(pat, ALPHA, "atlas") == []


async def test_a_second_staffing_group_is_a_conflict(lab: dict[str, Any]) -> None:
    async with operator(lab, "bea@beta.test") as bea:
        refused = await faq.refusal(bea, "beta.test", group_request("Nights", "staffing"), "set")

    assert refused[0] == "conflict" and "one per library" in refused[1]


async def test_beta_admin_export_and_import_round_trip_and_a_bad_row_imports_nothing(
    lab: dict[str, Any],
) -> None:
    name = f"Imported {uuid.uuid4().hex[:8]}"
    rows = [["group", "availability", "question", "answer", "keywords"],
            [name, "public", "Can I book a room?", "=Yes, online.", "rooms"],
            [name, "public", "Is there wifi?", "Yes,\nnetwork \"Beta\".", ""]]
    async with operator(lab, "bea@beta.test") as bea, operator(lab, "ben@beta.test") as ben:
        assert await faq.import_csv(bea, "beta.test", _csv(rows)) == (2, 1)
        exported = _rows(await faq.export(bea, "beta.test"))
        group = next(g for g in await faq.groups(bea, "beta.test") if g.name == name)
        try:
            assert [r for r in exported if r[0] == name] == [
                [name, "public", "Can I book a room?", "'=Yes, online.", "rooms"], rows[2]]
            assert (await faq.refusal(ben, "beta.test", faq.tag_element("export")))[0] == \
                "forbidden"
            assert (await faq.refusal(ben, "beta.test", import_request(_csv(rows)),
                                      "set"))[0] == "forbidden"
            bad = [*rows, [name, "secret", "Q?", "A.", ""]]
            condition, text = await faq.refusal(bea, "beta.test", import_request(_csv(bad)),
                                                "set")
            assert condition == "bad-request" and text.startswith("Line 5:")
            assert (await faq.group(bea, "beta.test", group.id)).count == 2
        finally:
            await faq.ask(bea, "beta.test", by_id("delete-group", group.id), "set")
        # What was exported imports again as it was.
        again = [exported[0], *(r for r in exported if r[0] == name)]
        assert await faq.import_csv(bea, "beta.test", _csv(again)) == (2, 1)
        group = next(g for g in await faq.groups(bea, "beta.test") if g.name == name)
        assert [(f.question, f.answer) for f in await faq.faqs(bea, "beta.test", group.id)] == [
            ("Can I book a room?", "=Yes, online."), ("Is there wifi?", "Yes,\nnetwork \"Beta\".")]
        await faq.ask(bea, "beta.test", by_id("delete-group", group.id), "set")


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


async def test_a_patron_searching_faster_than_anyone_types_is_asked_to_wait(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, ALPHA) as pat:
        answers = await asyncio.gather(*(
            faq.refusal(pat, ALPHA, faq.search_request("renew")) for _ in range(20)))

    conditions = [condition for condition, _ in answers]
    assert conditions.count("ok") >= 10
    assert "resource-constraint" in conditions
