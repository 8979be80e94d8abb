"""Whose chats a co-op user sees in the co-op's reports (stats.xsd's header), by their
account level, as rules with no XMPP in them.

From the seed (LibChat, "Chat Statistics"): Regular users see reports on the chats they
answered; Institution Admins on all chats answered by their library's users; Co-Op Admins on
any institution in the co-op. A library's admins also see their own patrons' chats, whoever
answered. Anyone else, a user whose chat access is switched off at their library too, learns
nothing, not even whether the co-op is hosted here.
"""

from __future__ import annotations

from components.coop.levels import entitled_user
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotPermitted
from refdesk.reports.facts import Scope

NO_ACCESS = "Only users given access to the co-op see its reports."


def coop_scope(coop: CoopRecord | None, asker: str) -> Scope:
    """The scope of `asker` (a bare JID) in `coop` (None: no such co-op here)."""
    user = entitled_user(coop, asker) if coop is not None else None
    if user is None:
        raise NotPermitted(NO_ACCESS)
    if user.level == CoopLevel.COOP_ADMIN:
        return Scope("coop")
    if user.level == CoopLevel.INSTITUTION_ADMIN:
        return Scope("institution", institution=user.institution)
    return Scope("mine", answered_by=asker)
