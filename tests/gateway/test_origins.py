"""Origin allowlist: the gateway's own origin and the widgets' allowed origins, nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.origins import OriginPolicy, normalize_origin, same_host
from refdesk.db.models import Institution, InstitutionKind, Widget
from refdesk.db.stores.widgets import WidgetStore
from tests.db.conftest import db_url, engine, sessions

__all__ = ["db_url", "engine", "sessions"]  # the database fixtures, shared with tests/db


@pytest.mark.parametrize(("origin", "normalized"), [
    ("https://www.alpha.edu", "https://www.alpha.edu"),
    ("HTTPS://WWW.Alpha.edu:443/", "https://www.alpha.edu"),
    ("http://127.0.0.2:8080", "http://127.0.0.2:8080"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("null", None),
    ("file:///home/patron/page.html", None),
    ("https://www.alpha.edu/ask", None),
    ("javascript:alert(1)", None),
])
def test_origins_are_compared_in_one_normal_form(origin: str, normalized: str | None) -> None:
    assert normalize_origin(origin) == normalized


def test_own_origin_is_the_host_the_request_went_to() -> None:
    assert same_host("https://chat.alpha.edu", "chat.alpha.edu")
    assert same_host("https://chat.alpha.edu", "chat.alpha.edu:443")
    assert not same_host("https://chat.alpha.edu", "chat.alpha.edu:8443")
    assert not same_host("https://evil.example", "chat.alpha.edu")


class CountingStore:
    def __init__(self, origins: set[str]) -> None:
        self.origins, self.reads = origins, 0

    async def allowed_origins(self) -> frozenset[str]:
        self.reads += 1
        return frozenset(self.origins)


async def test_policy_allows_widget_origins_refuses_others_and_rereads_after_a_while() -> None:
    now = [0.0]
    store = CountingStore({"https://www.alpha.edu"})
    policy = OriginPolicy(store, refresh_s=30.0, clock=lambda: now[0])

    assert await policy.allows("https://www.alpha.edu", "chat.alpha.edu")
    assert not await policy.allows("https://evil.example", "chat.alpha.edu")
    assert await policy.allows(None, "chat.alpha.edu")  # no browser, nothing to protect
    assert not await policy.allows("null", "chat.alpha.edu")
    assert store.reads == 1

    store.origins.add("https://library.beta.org")
    now[0] += 31.0
    assert await policy.allows("https://library.beta.org", "chat.alpha.edu")
    assert store.reads == 2


async def test_every_widgets_allowed_origins_open_the_gateway_and_others_do_not(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        session.add(alpha)
        await session.flush()
        session.add_all([
            Widget(id="alpha-main", institution_id=alpha.id, name="Ask",
                   allowed_origins=["https://www.alpha.edu", "https://Alpha.edu:443"]),
            Widget(id="alpha-sci", institution_id=alpha.id, name="Science",
                   allowed_origins=["https://sci.alpha.edu", "not an origin"]),
            Widget(id="alpha-none", institution_id=alpha.id, name="Hidden", allowed_origins=[]),
        ])

    policy = OriginPolicy(WidgetStore(sessions))

    for allowed in ("https://www.alpha.edu", "https://alpha.edu", "https://sci.alpha.edu"):
        assert await policy.allows(allowed, host="gateway.alpha.edu"), allowed
    assert not await policy.allows("https://evil.example", host="gateway.alpha.edu")


async def test_policy_rereads_the_widgets_as_soon_as_the_change_counter_moves() -> None:
    now, counter = [0.0], [7]
    store = CountingStore({"https://www.alpha.edu"})

    async def revision() -> int:
        return counter[0]

    policy = OriginPolicy(store, refresh_s=30.0, clock=lambda: now[0], revision=revision,
                          check_s=1.0)
    assert not await policy.allows("https://library.beta.org", "chat.alpha.edu")
    store.origins.add("https://library.beta.org")

    now[0] += 2.0  # the counter read again, unchanged: the widgets are not
    assert not await policy.allows("https://library.beta.org", "chat.alpha.edu")
    assert store.reads == 1

    counter[0] += 1  # an edit committed
    now[0] += 0.5
    assert not await policy.allows("https://library.beta.org", "chat.alpha.edu")
    now[0] += 1.0
    assert await policy.allows("https://library.beta.org", "chat.alpha.edu")
    assert store.reads == 2
