"""The chat summary a patron's home library sends a co-op's registry when a co-op chat ends
(urn:refdesk:activity:0, schemas/activity.xsd): times, people and the rating, never the
question or a line of the transcript."""

from __future__ import annotations

from datetime import datetime

from slixmpp import Iq
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

from refdesk.db.stores.activity import Summary
from refdesk.errors import InvalidInput

NS = "urn:refdesk:activity:0"
TIMES = ("requested", "claimed", "ended")


class SummaryPayload(ElementBase):
    name = "summary"
    namespace = NS
    plugin_attrib = "refdesk_summary"
    interfaces = {"coop", "chat", "widget", "requested", "claimed", "ended", "answered-by",
                  "institution", "rating"}


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
                   payload["institution"] or None, rating)
