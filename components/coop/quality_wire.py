"""urn:refdesk:quality:0 on the wire (schemas/quality.xsd): cases and the rotation written,
forward, review and rotation requests read."""

from __future__ import annotations

from dataclasses import dataclass

from slixmpp.xmlstream import ET

from refdesk.db.models import CaseState
from refdesk.db.stores.quality import Case, Rotation
from refdesk.errors import InvalidInput

NS = "urn:refdesk:quality:0"
MAX_TEXT = 2000
MAX_ID = 64
MAX_DOMAIN = 1023


@dataclass(frozen=True)
class Forward:
    coop: str
    library: str
    chat: str
    concern: str


def case_element(case: Case) -> ET.Element:
    attributes = {
        "id": str(case.id), "coop": case.coop, "library": case.home, "chat": case.chat_id,
        "source": case.source.value, "state": case.state.value,
        "opened": case.opened_at.isoformat(), "librarian": case.librarian,
        "institution": case.institution, "forwarded-by": case.forwarded_by,
        "reviewed-by": case.reviewed_by,
        "reviewed": case.reviewed_at.isoformat() if case.reviewed_at else None}
    element = ET.Element(f"{{{NS}}}case", {k: v for k, v in attributes.items() if v})
    for name, text in (("concern", case.concern), ("comments", case.comments)):
        if text is not None:
            ET.SubElement(element, f"{{{NS}}}{name}").text = text
    return element


def cases_element(cases: list[Case], coop: str | None = None) -> ET.Element:
    element = ET.Element(f"{{{NS}}}cases", {"coop": coop} if coop else {})
    element.extend(case_element(case) for case in cases)
    return element


def rotation_element(rotation: Rotation) -> ET.Element:
    attributes = {"coop": rotation.coop, "per-library": str(rotation.per_library),
                  "per-librarian": str(rotation.per_librarian),
                  "every-days": str(rotation.every_days)}
    if rotation.last_drawn_at:
        attributes["last-drawn"] = rotation.last_drawn_at.isoformat()
    return ET.Element(f"{{{NS}}}rotation", attributes)


def read_forward(element: ET.Element) -> Forward:
    concern = (element.findtext(f"{{{NS}}}concern") or "").strip()
    if not concern or len(concern) > MAX_TEXT:
        raise InvalidInput(f"Say what the concern is, in at most {MAX_TEXT} characters.")
    return Forward(read_id(element, "coop"), read_id(element, "library", MAX_DOMAIN).lower(),
                   read_id(element, "chat"), concern)


def read_state(element: ET.Element) -> CaseState | None:
    """The state asked for; None for 'all'."""
    state = element.get("state") or CaseState.OPEN.value
    if state == "all":
        return None
    try:
        return CaseState(state)
    except ValueError:
        raise InvalidInput("state is open, reviewed or all.") from None


def read_review(element: ET.Element) -> tuple[int, str]:
    comments = (element.text or "").strip()
    if not comments or len(comments) > MAX_TEXT:
        raise InvalidInput(f"Write the comments for the librarian, in at most {MAX_TEXT} "
                           "characters.")
    return read_case_id(element.get("case")), comments


def read_case_id(value: object) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput("Name the case by its number.")
    return int(text)


def read_rotation(element: ET.Element, current: Rotation) -> Rotation:
    """`current` with what the request sets; InvalidInput for numbers out of range."""
    values = {"per-library": current.per_library, "per-librarian": current.per_librarian,
              "every-days": current.every_days}
    for name in values:
        if (text := element.get(name)) is not None:
            if not text.strip().isdigit():
                raise InvalidInput(f"{name} is a whole number.")
            values[name] = int(text)
    if values["every-days"] < 1 or values["every-days"] > 3650:
        raise InvalidInput("every-days is from 1 to 3650.")
    if max(values["per-library"], values["per-librarian"]) > 1000:
        raise InvalidInput("Draw at most 1000 sessions from each library or librarian.")
    return Rotation(current.coop, values["per-library"], values["per-librarian"],
                    values["every-days"], current.last_drawn_at)


def read_id(element: ET.Element, name: str, limit: int = MAX_ID) -> str:
    value = (element.get(name) or "").strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"The request names its {name}.")
    return value
