"""A chat as one librarian sees it in the Patron Chats list (schemas/console.xsd, chat).

Who sees a chat is the claim rule (components.queue.entitlement): the patron's own library's
operators, and staff it was offered to, directly or in a co-op room they monitor and answer
for. The co-op it came through is the first offer that reached them; a department's or a
direct offer from the patron's own routing names none.
"""

from __future__ import annotations

from datetime import UTC, datetime

from slixmpp import JID
from slixmpp.xmlstream import ET

from components.queue.console.stanzas import boolean, child, element
from components.queue.entitlement import Entitlement
from components.queue.plan import Plan
from refdesk.db.models import ChatState
from refdesk.db.stores.chats import ChatRecord

STATES = {ChatState.WAITING: "waiting", ChatState.ACTIVE: "active",
          ChatState.ENDED: "ended", ChatState.CANCELLED: "withdrawn",
          ChatState.LEFT: "withdrawn"}
OPEN = frozenset({ChatState.WAITING, ChatState.ACTIVE})


def sees(entitlement: Entitlement, chat: ChatRecord, operator: str) -> bool:
    """Whether the operator (a bare JID) has this open chat in their list."""
    return chat.state in OPEN and bool(chat.routing) and entitlement.may_see(
        Plan.from_json(chat.routing), operator)


def reached_through(entitlement: Entitlement, plan: Plan, operator: str) -> str | None:
    """The id of the co-op the chat reached the operator through, if any."""
    for offer in plan.offers:
        direct = not offer.room and offer.to == operator
        in_room = offer.room and entitlement.monitoring.occupant(offer.to, operator) is not None
        if direct or in_room:
            return offer.coop
    return None


def chat_element(entitlement: Entitlement, chat: ChatRecord, chat_jid: str,
                 operator: str) -> ET.Element:
    """The chat as `operator` sees it; call only for someone who sees (or saw) it."""
    directory = entitlement.directory
    widget = directory.widgets.get(chat.widget_id)
    plan = Plan.from_json(chat.routing) if chat.routing else None
    coop_id = reached_through(entitlement, plan, operator) if plan is not None else None
    coop = directory.coops.get(coop_id) if coop_id is not None else None
    active = chat.state == ChatState.ACTIVE
    made = element("chat", {
        "jid": chat_jid, "state": STATES[chat.state], "library": directory.domain,
        "library-name": directory.name, "widget": chat.widget_id,
        "widget-name": widget.name if widget is not None else chat.widget_id,
        "coop": coop.id if coop is not None else None,
        "coop-name": coop.name if coop is not None else None,
        "since": utc(chat.created_at),
        "home": boolean(JID(operator).domain == directory.domain),
        "taken-nick": chat.claimed_nick if active else None,
        "taken-institution": directory.institution_name(chat.claimed_institution or "")
        if active else None,
        "mine": boolean(chat.claimed_by == operator) if active else None,
    })
    for name, text in (("name", chat.patron_name), ("question", chat.question),
                       ("referrer", chat.referrer), ("user-agent", chat.user_agent),
                       ("transfer", plan.transfer if plan is not None else None)):
        if text:
            child(made, name, text=text)
    return made


def utc(moment: datetime) -> str:
    """An xs:dateTime in UTC; the database may hand back a naive time, which is UTC."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat(timespec="seconds").replace("+00:00", "Z")
