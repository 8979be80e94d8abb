"""The registry's side of policy pages: only faq.<member> of a co-op reports its page's date
there; anyone else (a librarian, a non-member's faq component, another component of a
member) is answered as if the co-op were not here, and nothing is stored. Only the co-op's
Co-Op Admins read members' ages or set the limit."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import xmlschema
from slixmpp.xmlstream import ET, tostring

from components.coop.policyalerts import CHECK_S
from components.faq.stanzas import NS
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.policystatus import CoopPolicies, PolicyStatusStore
from refdesk.db.types import utcnow
from tests.components.coop.test_registry import database, iq, registry
from tests.components.queue.harness import StreamHarness

__all__ = ["database", "registry"]  # fixtures

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "faq.xsd"))
WHEN = "2026-01-05T10:00:00Z"


def status(coop: str = "coop-247", updated: str = WHEN) -> str:
    payload = f"<policy-status xmlns='{NS}' coop='{coop}' updated='{updated}'/>"
    SCHEMA.validate(payload)
    return payload


def policies(registry: StreamHarness, database: str) -> CoopPolicies:
    async def read() -> CoopPolicies:
        engine = create_engine(database)
        try:
            return await PolicyStatusStore(create_sessionmaker(engine)).policies("coop-247")
        finally:
            await engine.dispose()
    result: CoopPolicies = registry.run(read())
    return result


def dates(registry: StreamHarness, database: str) -> dict[str, datetime | None]:
    return {m.domain: m.updated for m in policies(registry, database).members}


def test_a_members_faq_component_reports_its_page_date(registry: StreamHarness,
                                                       database: str) -> None:
    registry.recv(iq("set", "faq.gamma.test", status()))
    assert registry.sent()["type"] == "result"
    assert dates(registry, database)["gamma.test"] == datetime.fromisoformat(WHEN)


@pytest.mark.parametrize("sender", [
    "gus@gamma.test/desk",   # a librarian of the member
    "faq.delta.test",        # a library outside the co-op
    "queue.gamma.test",      # another component of a member
    "x@faq.gamma.test",      # an account on a server that names itself faq.*
    "faq.coop.test",         # the host itself, no member
])
def test_anyone_else_reporting_a_date_is_answered_as_if_no_coop_and_nothing_changes(
        registry: StreamHarness, database: str, sender: str) -> None:
    before = dates(registry, database)
    registry.recv(iq("set", sender, status()))
    assert registry.sent()["error"]["condition"] == "item-not-found"
    registry.recv(iq("set", "faq.gamma.test", status(coop="coop-none")))
    assert registry.sent()["error"]["condition"] == "item-not-found"
    assert dates(registry, database) == before


def test_a_date_in_the_future_is_refused(registry: StreamHarness, database: str) -> None:
    ahead = (utcnow() + timedelta(days=30)).isoformat().replace("+00:00", "Z")
    registry.recv(iq("set", "faq.gamma.test", status(updated=ahead)))
    assert registry.sent()["error"]["condition"] == "bad-request"
    assert dates(registry, database)["gamma.test"] is None


@pytest.mark.parametrize(("sender", "condition"), [
    ("sue@coop.test/desk", "forbidden"),       # the co-op's own regular staff
    ("ann@alpha.test/desk", "forbidden"),      # an Institution Admin
    ("eve@delta.test/desk", "item-not-found"),  # nobody at the co-op
])
def test_only_coop_admins_read_and_set_the_age_limit(
        registry: StreamHarness, database: str, sender: str, condition: str) -> None:
    registry.recv(iq("set", sender, f"<policy-age xmlns='{NS}' coop='coop-247' "
                     "max-age-days='30'/>"))
    assert registry.sent()["error"]["condition"] == condition
    registry.recv(iq("get", sender, f"<policies xmlns='{NS}' coop='coop-247'/>"))
    assert registry.sent()["error"]["condition"] == condition
    assert policies(registry, database).max_age_days == 180


def test_the_coop_admin_sets_the_limit_and_reads_every_member(
        registry: StreamHarness, database: str) -> None:
    registry.recv(iq("set", "sam@coop.test/desk", f"<policy-age xmlns='{NS}' "
                     "coop='coop-247' max-age-days='30'/>"))
    assert registry.sent()["type"] == "result"
    registry.recv(iq("get", "sam@coop.test/desk", f"<policies xmlns='{NS}' coop='coop-247'/>"))
    answer = registry.sent().xml.find(f"{{{NS}}}policies")
    assert answer is not None
    SCHEMA.validate(tostring(answer))
    assert answer.get("max-age-days") == "30"
    assert [(m.get("domain"), m.get("stale")) for m in answer] == [
        ("alpha.test", "true"), ("beta.test", "true"), ("gamma.test", "true")]
    for bad in ("0", "²", "3" * 5000, "3651"):  # "²".isdigit() holds, int("²") raises
        registry.recv(iq("set", "sam@coop.test/desk", f"<policy-age xmlns='{NS}' "
                         f"coop='coop-247' max-age-days='{bad}'/>"))
        assert registry.sent()["error"]["condition"] == "bad-request"


@pytest.mark.parametrize(("kind", "payload"), [
    ("get", status()),
    ("set", f"<policies xmlns='{NS}' coop='coop-247'/>"),
    ("get", f"<policy-age xmlns='{NS}' coop='coop-247' max-age-days='30'/>"),
])
def test_a_request_of_the_wrong_type_is_answered_not_left_hanging(
        registry: StreamHarness, kind: str, payload: str) -> None:
    registry.recv(iq(kind, "sam@coop.test/desk", payload))
    assert registry.sent()["error"]["condition"] == "bad-request"


def test_coop_admins_hear_once_a_day_which_members_went_out_of_date(
        registry: StreamHarness, database: str) -> None:
    start = utcnow()
    alerts = registry.xmpp.policy_alerts  # type: ignore[union-attr]
    for faq, updated in (("faq.beta.test", start - timedelta(days=180) + timedelta(hours=1)),
                         ("faq.alpha.test", start - timedelta(days=10))):
        registry.recv(iq("set", faq, status(updated=updated.isoformat().replace(
            "+00:00", "Z"))))
        assert registry.sent()["type"] == "result"
    alerts.now = lambda: start + timedelta(hours=2)  # Beta's page passed 180 days an hour ago
    registry.advance(CHECK_S)
    told = messages(registry)
    assert [m.get("to") for m in told] == ["sam@coop.test"]  # coop-247's one Co-Op Admin
    body = "".join(told[0].itertext())
    assert "Beta Public Library (beta.test)" in body
    assert "Alpha" not in body and "Gamma" not in body  # current, and no page: no news
    alerts.now = lambda: start + timedelta(days=1, hours=2)
    registry.advance(CHECK_S)  # a day on: old news is not told again
    assert messages(registry) == []


def messages(registry: StreamHarness) -> list[ET.Element]:
    """The messages written since, a day's whitespace keepalives passed over."""
    written = [ET.fromstring(data) for data in registry._sent if data.strip()]
    registry._sent.clear()
    return [stanza for stanza in written if stanza.tag.split("}")[-1] == "message"]
