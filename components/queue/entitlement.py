"""Who may do what with a library's chats: pure rules over the directory, the co-ops as their
registries publish them, and who is present.

From DESIGN.md: "a department room holds its library's operators with chat access; a co-op
room holds the users who were given access to that co-op (at member libraries) and the
co-op's own staff", and "only members count as monitoring". The co-op's registry is the one
authority on who has access, with which level, and whether their own library lets them chat
at all. From the seeds: non-contributing members' staff answer their own patrons' chats, not
other libraries'; contributing members' staff answer everyone's.

A chat is seen (in the queue list, in a preview) and claimed only by staff it could have
been offered to: the patron's own library's operators, operators it was offered to directly,
and operators monitoring a co-op room it was offered in who answer that co-op's chats here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slixmpp import JID

from components.queue.monitoring import Monitoring
from components.queue.plan import Plan
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotPermitted

NOT_OFFERED = ("This chat was not offered to you: monitor a department or co-op it was "
               "routed to.")


@dataclass(frozen=True)
class Claimant:
    jid: str
    nick: str
    """The name the patron sees: the directory's or registry's, never a room nickname."""
    institution: str
    """Domain of the operator's library."""


def answers_through(directory: Directory, coop: CoopRecord, operator: str) -> bool:
    """Whether the operator answers the library's chats through the co-op: its registry
    lists them with chat access, and they are the co-op's own staff, or of this library, or
    of a contributing member."""
    user = coop.user(operator)
    if user is None or not user.chat_enabled:
        return False
    local = directory.operators.get(operator)
    if local is not None:
        return local.chat_enabled
    member = coop.member(user.institution)
    return user.institution in (coop.host, directory.domain) or (
        member is not None and member.contributing)


class Entitlement:
    def __init__(self, directory: Directory, monitoring: Monitoring,
                 coops: Mapping[str, CoopRecord]) -> None:
        self.directory = directory
        self.monitoring = monitoring
        self.coops = coops
        """Co-op id -> the co-op as its registry last published it (kept up to date)."""

    def may_monitor(self, room: str, operator: str) -> bool:
        """Whether the operator's presence in this department or co-op room counts here."""
        if room in self.directory.departments:
            local = self.directory.operators.get(operator)
            return local is not None and local.chat_enabled
        coop = next((c for c in self.directory.coops.values() if c.room == room), None)
        return coop is not None and self.answers(coop.id, operator)

    def answers(self, coop_id: str, operator: str) -> bool:
        """Whether the operator answers this library's chats through the co-op."""
        coop = self.coops.get(coop_id)
        return coop is not None and answers_through(self.directory, coop, operator)

    def open_to_all(self, coop_id: str) -> bool:
        """Whether everyone who may be in the co-op's room answers this library's chats, so
        that an offer may be posted there: the room's members and its archive see it."""
        coop = self.coops.get(coop_id)
        return coop is not None and all(
            user.institution == self.directory.domain or self.answers(coop_id, user.jid)
            for user in coop.users if user.chat_enabled)

    def claimant(self, plan: Plan, operator: str) -> Claimant:
        """The operator as claimant of a chat routed by `plan`; NotPermitted if they may not
        see it at all."""
        local = self.directory.operators.get(operator)
        if local is not None:
            if not local.chat_enabled:
                raise NotPermitted("Your chat access is switched off at your library.")
            return Claimant(operator, local.nick, self.directory.domain)
        for offer in plan.offers:
            if offer.coop is not None and not self.answers(offer.coop, operator):
                continue
            direct = not offer.room and offer.to == operator
            in_room = offer.room and offer.coop is not None and self.monitoring.occupant(
                offer.to, operator)
            if direct or in_room:
                return Claimant(operator, self.nick(operator), JID(operator).domain)
        raise NotPermitted(NOT_OFFERED)

    def nick(self, operator: str) -> str:
        """The name patrons see for an operator: the directory's or a registry's, else
        from the JID."""
        if operator in self.directory.nicks:
            return self.directory.nicks[operator]
        users = (coop.user(operator) for coop in self.coops.values())
        listed = next((user for user in users if user is not None), None)
        return listed.nick if listed is not None else JID(operator).user.capitalize()

    def may_see(self, plan: Plan, operator: str) -> bool:
        try:
            self.claimant(plan, operator)
        except NotPermitted:
            return False
        return True
