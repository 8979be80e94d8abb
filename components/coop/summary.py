"""The chat summary a patron's home library sends a co-op's registry when a co-op chat ends
(urn:refdesk:activity:0, schemas/activity.xsd): times, people and the rating, never the
question or a line of the transcript."""

from __future__ import annotations

from datetime import datetime

from slixmpp import Iq
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

from refdesk.db.stores.activity import Summary
from refdesk.errors import InvalidInput
from refdesk.useragent import MAX_LABEL_CHARS, MAX_SOURCE_CHARS, Origin

NS = "urn:refdesk:activity:0"
TIMES = ("requested", "claimed", "ended")
ORIGIN = ("source", "browser", "os", "device")
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
LIMITS = {"source": MAX_SOURCE_CHARS, "browser": MAX_LABEL_CHARS, "os": MAX_LABEL_CHARS,
          "device": MAX_LABEL_CHARS}


class SummaryPayload(ElementBase):
    name = "summary"
    namespace = NS
    plugin_attrib = "refdesk_summary"
    interfaces = {"coop", "chat", "widget", "requested", "claimed", "ended", "answered-by",
                  "institution", "rating", "offered", *ORIGIN}


def register() -> None:
    register_stanza_plugin(Iq, SummaryPayload)


def write(payload: SummaryPayload, summary: Summary) -> None:
    """Fill `payload` from `summary`; the home library is the sender, not an attribute."""
    values = {
        "coop": summary.coop, "chat": summary.chat_id, "widget": summary.widget_id,
        "requested": summary.requested_at.isoformat(), "ended": summary.ended_at.isoformat(),
        "claimed": summary.claimed_at.isoformat() if summary.claimed_at else None,
        "answered-by": summary.answered_by, "institution": summary.answered_institution,
        "rating": str(summary.rating) if summary.rating else None,
        "offered": None if summary.offered else "false",
        **vars(summary.origin),
    }
    for key, value in values.items():
        if value is not None:
            payload[key] = value


def read(payload: SummaryPayload, home: str) -> Summary:
    """The summary `home` sent; InvalidInput if it is not one."""
    try:
        requested, claimed, ended = (
            datetime.fromisoformat(payload[key]) if payload[key] else None for key in TIMES)
        rating = int(payload["rating"]) if payload["rating"] else None
    except ValueError as error:
        raise InvalidInput(f"Not a chat summary: {error}.") from None
    if not (payload["coop"] and payload["chat"] and payload["widget"]) or requested is None \
            or ended is None or any(t and t.tzinfo is None for t in (requested, claimed, ended)):
        raise InvalidInput("A chat summary names its co-op, chat and widget, and when the "
                           "chat was requested and ended, with time zones.")
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput("A rating is a whole number from 1 to 5.")
    return Summary(payload["coop"], home, payload["chat"], payload["widget"], requested,
                   ended, claimed, payload["answered-by"] or None,
                   payload["institution"] or None, rating, _offered(payload),
                   _origin(payload))


def _offered(payload: SummaryPayload) -> bool:
    offered = payload["offered"] or "true"
    if offered not in BOOLEANS:
        raise InvalidInput("offered is true or false.")
    return BOOLEANS[offered]


def _origin(payload: SummaryPayload) -> Origin:
    """The page and browser families as sent; the registry trusts their words, not their
    length."""
    for key, limit in LIMITS.items():
        if len(payload[key]) > limit:
            raise InvalidInput(f"A chat summary's {key} is at most {limit} characters.")
    return Origin(*(payload[key] or None for key in ORIGIN))
