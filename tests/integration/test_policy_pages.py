"""Policy pages across the federation: a librarian covering Alpha's patrons reads Alpha's
page; a patron, or a librarian outside Alpha's co-ops, is answered as if there were none;
Alpha's admin edits it and the co-op's registry learns the date; the Co-Op Admin of
coop-247 sees who is out of date and sets the age limit, and nobody else can."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slixmpp import Iq
from slixmpp.exceptions import IqError

from components.faq.policytemplate import LABELS
from components.faq.policywire import stamp
from components.faq.stanzas import NS
from refdesk.db.models import PolicyField
from tests.integration.poezio import shown_by_poezio
from tests.integration.policy import (
    REGISTRY,
    ask,
    element,
    fields,
    members,
    page,
    policy,
    refused,
    stale,
    when,
)
from tests.integration.queue import command, notes, site
from tests.integration.xmpp import account, eventually, operator, patron

ALPHA, BETA, GAMMA = "alpha.test", "beta.test", "gamma.test"
FAQ_ALPHA = f"faq.{ALPHA}"
LAB_COOPS = ("coop-247", "coop-local")


def ours(flags: dict[str, int]) -> dict[str, int]:
    """The flags of the lab's own co-ops (another story may add a co-op for a while)."""
    return {coop: days for coop, days in flags.items() if coop in LAB_COOPS}


def refdesk(lab: dict[str, Any], domain: str, *args: str, stdin: str = "") -> str:
    noun, action, *rest = args
    done = subprocess.run(
        [sys.executable, "-m", "refdesk", noun, action, "--config", site(lab, domain)["config"],
         *rest], input=stdin, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def filled(reply: Iq, values: dict[str, str]) -> Any:
    """The command's form, submitted with `values`."""
    form = reply["command"]["form"]
    form["type"] = "submit"
    for var, value in values.items():
        form.field[var]["value"] = value
    return form


@asynccontextmanager
async def gamma_outsider(lab: dict[str, Any]) -> AsyncIterator[tuple[str, str]]:
    """A Gamma librarian given access to no co-op: Gamma shares coop-247 with Alpha, but
    she is in none of Alpha's co-ops."""
    jid, password = f"gwyn@{GAMMA}", secrets.token_urlsafe(12)
    refdesk(lab, GAMMA, "user", "add", jid, "--name", "Gwyn", "--password-stdin",
            stdin=password + "\n")
    try:
        yield jid, password
    finally:
        refdesk(lab, GAMMA, "user", "remove", jid)


async def test_beta_librarian_reads_alpha_policy_page_patrons_and_outsiders_learn_nothing(
        lab: dict[str, Any]) -> None:
    async with operator(lab, f"ben@{BETA}") as ben, patron(lab, ALPHA) as pat, \
            gamma_outsider(lab) as (jid, password), account(lab, jid, password) as gwyn:
        answer = await page(ben, ALPHA)
        assert "coop247" in fields(answer)["database-access"]
        assert list(fields(answer))[:2] == ["catalogue", "databases"]  # the template's order
        updated = when(answer.get("updated"))
        assert updated is not None and datetime.now(UTC) - updated < timedelta(days=30)
        assert stale(answer) == {}
        for outsider in (pat, gwyn):
            assert await refused(outsider, FAQ_ALPHA, policy()) == "item-not-found"
            assert await refused(outsider, FAQ_ALPHA, policy({"hours": "x"}),
                                 "set") == "item-not-found"
        assert await refused(ben, FAQ_ALPHA, policy({"hours": "Never."}), "set") == "forbidden"


async def test_beta_librarian_reads_alpha_page_by_command_and_by_text_a_patron_does_not(
        lab: dict[str, Any]) -> None:
    async with operator(lab, f"ben@{BETA}") as ben, patron(lab, ALPHA) as pat:
        shown = await command(ben, FAQ_ALPHA, "policy")
        # The login whole in one note, no form: what poezio shows whole, and profanity too.
        assert len(shown["command"]["notes"]) == 1
        assert "Database access for co-op librarians: " in shown_by_poezio(shown)
        assert "coop247" in shown_by_poezio(shown)
        for session, expected in ((ben, "coop247"), (pat, "There is no policy page here.")):
            mark = session.messages.mark()
            session.xmpp.make_message(mto=FAQ_ALPHA, mbody="!policy", mtype="chat").send()
            reply = await session.messages.wait_for(
                lambda m: m["from"].bare == FAQ_ALPHA and bool(m["body"]), since=mark)
            assert expected in reply["body"]
            if session is pat:
                assert "coop247" not in reply["body"]


async def test_alpha_admin_edits_the_page_and_coop_247_registry_learns_the_new_date(
        lab: dict[str, Any]) -> None:
    async with operator(lab, f"ann@{ALPHA}") as ann, operator(lab, "sam@coop.test") as sam, \
            operator(lab, f"ben@{BETA}") as ben:
        before = await page(ann, ALPHA)
        kept = fields(before)
        changed = {**kept, "hours": "Main Library Mon-Sun 8-24 during exams.", "other": ""}
        saved = (await ask(ann, FAQ_ALPHA, policy(changed), "set")).xml.find(f"{{{NS}}}policy")
        assert saved is not None and saved.get("updated-by") == f"ann@{ALPHA}"
        new_date = when(saved.get("updated"))
        assert new_date is not None and new_date > (when(before.get("updated")) or new_date)
        assert fields(await page(ben, ALPHA))["hours"].endswith("during exams.")

        async def registry_date() -> datetime | None:
            return (await members(sam, "coop-247"))[ALPHA][0]
        await eventually(registry_date, expected=new_date)
        await ask(ann, FAQ_ALPHA, policy(kept), "set")
        assert "hours" in fields(await page(ben, ALPHA))
        for bad in (policy({"other": "x" * 10_001}), policy({"parking": "Lot B"})):
            assert await refused(ann, FAQ_ALPHA, bad, "set", invalid=True) == "bad-request"
        twice = policy({"hours": "9-5"})
        twice.append(policy({"hours": "9-6"})[0])
        assert await refused(ann, FAQ_ALPHA, twice, "set") == "bad-request"
        assert "hours" in fields(await page(ben, ALPHA))


async def test_coop_admin_sam_sees_beta_out_of_date_and_alpha_current_and_beta_is_told(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "sam@coop.test") as sam, operator(lab, f"bea@{BETA}") as bea:
        async def listed() -> dict[str, bool]:
            return {domain: out for domain, (_, out) in (await members(sam, "coop-247")).items()}
        await eventually(listed, expected={ALPHA: False, BETA: True, GAMMA: True})  # coop-247
        beta_day = (await members(sam, "coop-247"))[BETA][0]
        assert beta_day is not None and datetime.now(UTC) - beta_day > timedelta(days=180)
        assert ours(stale(await page(bea, BETA))) == {"coop-247": 180, "coop-local": 180}
        shown = await command(sam, REGISTRY, "policies")
        seen = shown_by_poezio(shown).splitlines()
        beta = seen.index(f"  Beta Public Library ({BETA}):")
        assert seen[beta + 1].startswith(f"    updated {beta_day:%Y-%m-%d}, OUT OF DATE")
        limit = next(row for row in seen if row.startswith("24/7 Reference (days) "))
        assert limit.split()[-1] == "180"


async def test_spoofed_policy_status_from_a_librarian_or_a_patron_changes_nothing(
        lab: dict[str, Any]) -> None:
    now = stamp(datetime.now(UTC))
    async with operator(lab, "sam@coop.test") as sam, operator(lab, f"bea@{BETA}") as bea, \
            patron(lab, BETA) as pat:
        status = element("policy-status", coop="coop-247", updated=now)
        for spoofer in (bea, sam):
            assert await refused(spoofer, REGISTRY, status, "set") == "item-not-found"
        # A patron's guest host reaches no other domain at all (no anonymous s2s).
        assert await refused(pat, REGISTRY, status, "set") == "not-allowed"
        unknown = element("policy-status", coop="coop-none", updated=now)
        assert await refused(bea, REGISTRY, unknown, "set") == "item-not-found"
        assert (await members(sam, "coop-247"))[BETA][1]


async def test_policy_age_is_set_by_the_coop_admin_only_and_reaches_the_members(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "sam@coop.test") as sam, operator(lab, f"bea@{BETA}") as bea, \
            operator(lab, f"ben@{BETA}") as ben, patron(lab, BETA) as pat:
        longer = element("policy-age", coop="coop-247", max_age_days="500")
        for someone, refusal in ((ben, "forbidden"), (bea, "forbidden"),
                                 (pat, "not-allowed")):
            assert await refused(someone, REGISTRY, longer, "set") == refusal
            assert await refused(someone, REGISTRY, element("policies", coop="coop-247")
                                 ) == refusal
        assert (await members(sam, "coop-247"))[BETA][1]
        await ask(sam, REGISTRY, longer, "set")
        try:
            assert not (await members(sam, "coop-247"))[BETA][1]

            async def beta_flags() -> dict[str, int]:
                return ours(stale(await page(bea, BETA)))
            await eventually(beta_flags, expected={"coop-local": 180})
        finally:
            await ask(sam, REGISTRY, element("policy-age", coop="coop-247",
                                             max_age_days="180"), "set")
        await eventually(beta_flags, expected={"coop-247": 180, "coop-local": 180})


async def test_alpha_admin_edits_by_command_and_sam_sets_the_limit_by_command(
        lab: dict[str, Any]) -> None:
    async with operator(lab, f"ann@{ALPHA}") as ann, operator(lab, "sam@coop.test") as sam, \
            operator(lab, f"ben@{BETA}") as ben:
        kept = fields(await page(ann, ALPHA))
        opened = await command(ann, FAQ_ALPHA, "policy")
        form = opened["command"]["form"]
        assert form["type"] == "form" and "database-access" in form.get_fields()
        # poezio shows each one-line value from its start beside its label: none looks empty.
        seen = shown_by_poezio(opened)
        for var, value in kept.items():
            label = LABELS[PolicyField(var)]
            assert f"{label:<40}{value[:39]}" in seen if "\n" not in value else label in seen
        # Ben reads the same command without a form to change anything.
        assert notes(await command(ben, FAQ_ALPHA, "policy")).startswith("Policy page of ")
        answer = filled(opened, {**kept, "holidays": "Closed Dec 24 to Jan 2."})
        try:
            done = await command(ann, FAQ_ALPHA, "policy", action="complete", payload=answer,
                                 sessionid=opened["command"]["sessionid"])
            assert "Policy page saved" in notes(done)
            assert fields(await page(ben, ALPHA))["holidays"] == "Closed Dec 24 to Jan 2."
        finally:
            await ask(ann, FAQ_ALPHA, policy(kept), "set")

        listing = await command(sam, REGISTRY, "policies")
        limit = filled(listing, {"max-age-days:coop-247": "90"})
        try:
            await command(sam, REGISTRY, "policies", action="complete", payload=limit,
                          sessionid=listing["command"]["sessionid"])
            reply = await ask(sam, REGISTRY, element("policies", coop="coop-247"))
            limits = reply.xml.find(f"{{{NS}}}policies")
            assert limits is not None and limits.get("max-age-days") == "90"
        finally:
            await ask(sam, REGISTRY, element("policy-age", coop="coop-247",
                                             max_age_days="180"), "set")
        with pytest.raises(IqError) as refused_to_ben:
            await command(ben, REGISTRY, "policies")
        assert refused_to_ben.value.condition == "item-not-found"
