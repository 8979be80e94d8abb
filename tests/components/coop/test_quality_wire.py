"""urn:refdesk:quality:0 as the registry writes and reads it: what it writes is valid against
schemas/quality.xsd, and bad requests are refused with a clear text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema
from slixmpp.xmlstream import ET, tostring

from components.coop import quality_wire as wire
from refdesk.db.models import CaseSource, CaseState
from refdesk.db.stores.quality import Case, Rotation
from refdesk.errors import InvalidInput

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "quality.xsd"))
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NS = wire.NS


def _valid(element: ET.Element) -> None:
    SCHEMA.validate(tostring(element))


def test_cases_and_the_rotation_written_are_valid_in_every_state() -> None:
    sampled = Case(1, "coop-247", "alpha.test", "c1", CaseSource.SAMPLE, CaseState.OPEN, T0)
    reviewed = Case(2, "coop-247", "alpha.test", "c2", CaseSource.FORWARDED, CaseState.REVIEWED,
                    T0, "bea@beta.test", "beta.test", "Curt", "ann@alpha.test", "Be kind.",
                    "sue@coop.test", T0)
    _valid(wire.cases_element([sampled, reviewed], "coop-247"))
    _valid(wire.cases_element([]))
    _valid(wire.rotation_element(Rotation("coop-247")))
    _valid(wire.rotation_element(Rotation("coop-247", 2, 1, 14, T0)))


def _element(name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.Element(f"{{{NS}}}{name}", attributes)
    element.text = text
    return element


def _forward_without_coop() -> ET.Element:
    element = _element("forward", library="alpha.test", chat="c1")
    ET.SubElement(element, f"{{{NS}}}concern").text = "Rude."
    return element


@pytest.mark.parametrize(("read", "expected"), [
    (lambda: wire.read_forward(_element("forward", coop="coop-247", library="alpha.test",
                                        chat="c1")), "Say what the concern is"),
    (lambda: wire.read_forward(_forward_without_coop()), "names its coop"),
    (lambda: wire.read_review(_element("review", "  ", case="1")), "Write the comments"),
    (lambda: wire.read_review(_element("review", "Fine.", case="one")), "by its number"),
    (lambda: wire.read_review(_element("review", "x" * 2001, case="1")), "at most 2000"),
    (lambda: wire.read_state(_element("cases", state="closed")), "open, reviewed or all"),
    (lambda: wire.read_rotation(_element("rotation", **{"every-days": "0"}),
                                Rotation("coop-247")), "every-days is from 1"),
    (lambda: wire.read_rotation(_element("rotation", **{"per-library": "-1"}),
                                Rotation("coop-247")), "per-library is a whole number"),
], ids=["no-concern", "no-coop", "empty-comments", "case-not-a-number", "long-comments",
        "bad-state", "zero-days", "negative"])
def test_bad_requests_are_refused_with_what_is_wrong(read: Callable[[], object],
                                                    expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        read()


def test_a_rotation_request_changes_only_what_it_names() -> None:
    current = Rotation("coop-247", 2, 1, 30, T0)
    changed = wire.read_rotation(_element("rotation", **{"per-librarian": "3"}), current)
    assert changed == Rotation("coop-247", 2, 3, 30, T0)
