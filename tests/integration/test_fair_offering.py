"""Fair offering in the 24/7 co-op: with it on, a new chat reaches the monitors of members
below the contribution target (and of the patron's own library) first, and the co-op's other
monitors `delay` seconds later unless it was claimed before; with it off, everyone at once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tests.integration.contribution import contribution, fairness, refused, rows
from tests.integration.queue import asking, carrying, claim_by_text, coop_room, join
from tests.integration.xmpp import Session, eventually, operator, patron

REGISTRY = "coop.coop.test"
DELAY_S = 2
"""Under the lab's 3 s 24/7 staff fallback (tests/integration/conftest.py), which no delay
may push past."""
EVERYONE_BELOW = "1000"
"""A target no member reaches: every member whose patrons asked anything is below it, and
the co-op's own staff (no member) are the rest."""


@asynccontextmanager
async def fair_offering(lab: dict[str, Any], enabled: bool) -> AsyncIterator[None]:
    """The co-op's Co-Op Admin turns fair offering on (or off); off again afterwards."""
    async with operator(lab, "sam@coop.test") as sam:
        answer = await fairness(sam, REGISTRY, "coop-247", enabled=str(enabled).lower(),
                                delay=str(DELAY_S), target=EVERYONE_BELOW)
    assert answer.get("enabled") == str(enabled).lower()
    try:
        yield
    finally:
        async with operator(lab, "sam@coop.test") as sam:
            await fairness(sam, REGISTRY, "coop-247", enabled="false", target="100")


async def _beta_has_asked(lab: dict[str, Any], ben: Session) -> None:
    """A Beta patron's chat through the co-op, so that Beta has a percentage (below any
    target it has not reached)."""
    async with operator(lab, "sam@coop.test") as sam:
        before = rows(await contribution(sam, REGISTRY, "coop-247")).get("beta.test")
    async with patron(lab, "beta.test") as bet, \
            asking(bet, "beta.test", "beta-main", "Does Beta count?") as chat:
        await ben.messages.wait_for(carrying("offer", chat))

    async def asked() -> bool:
        async with operator(lab, "sam@coop.test") as sam:
            now = rows(await contribution(sam, REGISTRY, "coop-247")).get("beta.test")
        return now is not None and now[0] > (before[0] if before else 0)
    await eventually(asked, timeout=20)


async def _rest_waited(alf: Session, ben: Session, sue: Session) -> bool:
    """Whether Alpha's queue now makes Sue wait after Ben for a co-op chat (fair offering as
    the registry last published it): the probe every story waits on first."""
    *_, waited = await _first_and_rest(alf, ben, sue, "Probe?")
    return waited > DELAY_S / 2


async def _first_and_rest(alf: Session, ben: Session, sue: Session, question: str
                          ) -> tuple[Any, Any, float]:
    """A new Alpha chat's offers to Ben and to Sue, and the seconds between them."""
    async with asking(alf, "alpha.test", "alpha-private", question) as chat:
        to_ben = await ben.messages.wait_for(carrying("offer", chat))
        first = time.monotonic()
        to_sue = await sue.messages.wait_for(carrying("offer", chat), timeout=DELAY_S + 10)
        return to_ben, to_sue, time.monotonic() - first


async def test_with_fair_offering_on_a_beta_monitor_hears_first_and_coop_staff_after_the_delay(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "sue@coop.test") as sue,
                patron(lab, "alpha.test") as alf):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        await join(sue, coop_room(lab, "coop-247"), "Sue")
        await _beta_has_asked(lab, ben)
        async with fair_offering(lab, enabled=True):
            await eventually(lambda: _rest_waited(alf, ben, sue), True, timeout=40)
            to_ben, to_sue, waited = await _first_and_rest(alf, ben, sue, "Fair, please?")
    assert (to_ben["type"], to_sue["type"]) == ("chat", "chat")
    assert DELAY_S - 0.3 <= waited <= DELAY_S + 0.8, waited


async def test_a_chat_claimed_before_the_delay_is_never_offered_to_the_rest(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "sue@coop.test") as sue,
                patron(lab, "alpha.test") as alf, patron(lab, "alpha.test") as ali):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        await join(sue, coop_room(lab, "coop-247"), "Sue")
        await _beta_has_asked(lab, ben)
        async with fair_offering(lab, enabled=True):
            await eventually(lambda: _rest_waited(alf, ben, sue), True, timeout=40)
            async with asking(alf, "alpha.test", "alpha-private", "Quick one?") as claimed:
                await ben.messages.wait_for(carrying("offer", claimed))
                await claim_by_text(ben, claimed)
                # A later chat's rest are due after this one's: once Sue has that one, this
                # one's time has passed too.
                await _first_and_rest(ali, ben, sue, "And a later one?")
    assert not [m for m in sue.messages.items if carrying("offer", claimed)(m)]


async def test_with_fair_offering_off_beta_and_coop_staff_hear_of_a_chat_at_once(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "sue@coop.test") as sue,
                patron(lab, "alpha.test") as alf):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        await join(sue, coop_room(lab, "coop-247"), "Sue")
        async with fair_offering(lab, enabled=False):
            await eventually(lambda: _rest_waited(alf, ben, sue), False, timeout=40)
            to_ben, to_sue, waited = await _first_and_rest(alf, ben, sue, "Everyone at once?")
    # Gamma's staff may be in the room and answer only Gamma's patrons: Alpha's chats are
    # offered to each monitor directly, fair offering or not.
    assert (to_ben["type"], to_sue["type"]) == ("chat", "chat")
    assert waited < 0.5, waited


async def test_only_a_coop_admin_changes_fair_offering_and_nonsense_is_refused(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "abe@alpha.test") as abe, operator(lab, "ann@alpha.test") as ann,
                operator(lab, "sam@coop.test") as sam, operator(lab, "gus@gamma.test") as gus):
        seen = await fairness(abe, REGISTRY, "coop-247")
        by_ann = await refused(fairness(ann, REGISTRY, "coop-247", enabled="true"))
        too_long = await refused(fairness(sam, REGISTRY, "coop-247", False, delay="30"))
        outsider = await refused(fairness(gus, "coop.alpha.test", "coop-local"))
        after = await fairness(abe, REGISTRY, "coop-247")
    assert seen.get("coop") == "coop-247" and seen.get("enabled") == after.get("enabled")
    assert by_ann[0] == "forbidden" and "Co-Op Admin" in by_ann[1]
    assert too_long == ("bad-request", "The delay is a whole number of seconds, 1 to 20.")
    assert outsider[0] == "forbidden"
