"""Who may read what of the library's knowledge (schemas/faq.xsd's header).

The seed: co-op staff search "FAQs from all public groups" and the library's "24/7 Staffing
group ... that can only be searched by co-op staff"; "Hidden, Internal, and Restricted
Internal groups cannot be searched by co-op staff". Staff of the library itself read its
Internal groups too; its local admins read and change everything. The co-ops' registries
say who is co-op staff; the library's own directory says who its operators are. No XMPP
here: the rules are tested as a table.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from components.queue.entitlement import answers_through
from refdesk.db.models import Availability
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotPermitted


class Standing(enum.IntEnum):
    """What an asker is to this library, each standing reading all that the ones below do."""

    ANYONE = 0
    """A patron, the widget, an outsider: public FAQs only."""
    COOP_STAFF = 1
    """Answers the library's chats through one of its co-ops (chat access on, and the co-op's
    own staff or of a contributing member: a non-contributing member's librarians answer
    only their own patrons): also 24/7 Staffing FAQs, the policy page and the scripts."""
    OPERATOR = 2
    """One of the library's own operators: also its Internal FAQs."""
    LOCAL_ADMIN = 3
    """One of the library's local admins: everything, and only they change anything."""


SEARCHABLE: Mapping[Standing, frozenset[Availability]] = {
    Standing.ANYONE: frozenset({Availability.PUBLIC}),
    Standing.COOP_STAFF: frozenset({Availability.PUBLIC, Availability.STAFFING}),
    Standing.OPERATOR: frozenset({Availability.PUBLIC, Availability.STAFFING,
                                  Availability.INTERNAL}),
    Standing.LOCAL_ADMIN: frozenset({Availability.PUBLIC, Availability.STAFFING,
                                     Availability.INTERNAL, Availability.RESTRICTED_INTERNAL}),
}
"""The groups a search by each standing looks in. Hidden groups are searched by no one."""


def listable(standing: Standing) -> frozenset[Availability]:
    """The groups each standing sees listed (and may browse): what it searches, and Hidden
    groups for the local admins who edit them."""
    if standing == Standing.LOCAL_ADMIN:
        return frozenset(Availability)
    return SEARCHABLE[standing]


def standing(directory: Directory, coops: Mapping[str, CoopRecord], asker: str) -> Standing:
    """What `asker` (a bare JID) is to the library."""
    if asker.partition("@")[2] == f"guest.{directory.domain}":
        return Standing.ANYONE  # a patron, whatever any registry says of the address
    operator = directory.operators.get(asker)
    if operator is not None and operator.local_admin:
        return Standing.LOCAL_ADMIN
    if operator is not None and operator.chat_enabled:
        return Standing.OPERATOR
    if any(answers_through(directory, coop, asker) for coop in coops.values()):
        return Standing.COOP_STAFF
    return Standing.ANYONE


def require(actual: Standing, needed: Standing, what: str) -> None:
    """Refuse `what` to an asker below `needed`."""
    if actual < needed:
        raise NotPermitted(f"Only {_WHO[needed]} may {what}.")


_WHO = {
    Standing.COOP_STAFF: "staff of the library's co-ops",
    Standing.OPERATOR: "the library's own operators",
    Standing.LOCAL_ADMIN: "the library's local admins",
}
