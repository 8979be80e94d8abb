"""Who may do what with a library's chats: pure rules over the directory and who is present.

From DESIGN.md: "a department room holds its library's operators with chat access; a co-op
room holds the users who were given access to that co-op (at member libraries) and the
co-op's own staff", and "only members count as monitoring". A chat is seen (in the queue
list, in a preview) and claimed only by staff it could have been offered to: the patron's
own library's operators, operators it was offered to directly, and operators monitoring a
room it was offered to who are entitled to that room.
"""

from __future__ import annotations

from dataclasses import dataclass

from slixmpp import JID

from components.queue.monitoring import Monitoring
from components.queue.plan import Plan
from refdesk.db.stores.directory import Directory
from refdesk.errors import NotPermitted


@dataclass(frozen=True)
class Claimant:
    jid: str
    nick: str
    """The name the patron sees: the directory's, never a client's room nickname."""
    institution: str
    """Domain of the operator's library."""


class Entitlement:
    def __init__(self, directory: Directory, monitoring: Monitoring) -> None:
        self.directory = directory
        self.monitoring = monitoring

    def may_monitor(self, room: str, operator: str) -> bool:
        """Whether the operator's presence in this department or co-op room counts."""
        if room in self.directory.departments:
            local = self.directory.operators.get(operator)
            return local is not None and local.chat_enabled
        coop = next((c for c in self.directory.coops.values() if c.room == room), None)
        return coop is not None and self._in_coop(coop.id, operator)

    def claimant(self, plan: Plan, operator: str) -> Claimant:
        """The operator as claimant of a chat routed by `plan`; NotPermitted if they may not
        see it at all."""
        local = self.directory.operators.get(operator)
        if local is not None:
            if not local.chat_enabled:
                raise NotPermitted("Your chat access is switched off at your library.")
            return Claimant(operator, local.nick, self.directory.domain)
        for offer in plan.offers:
            direct = not offer.room and offer.to == operator
            in_room = offer.room and offer.coop is not None and self._in_coop(
                offer.coop, operator) and self.monitoring.occupant(offer.to, operator)
            if direct or in_room:
                return Claimant(operator, self.nick(operator), JID(operator).domain)
        raise NotPermitted("This chat was not offered to you: monitor a department or "
                           "co-op it was routed to.")

    def nick(self, operator: str) -> str:
        """The name patrons see for an operator: the directory's, else from the JID."""
        return self.directory.nicks.get(operator) or JID(operator).user.capitalize()

    def may_see(self, plan: Plan, operator: str) -> bool:
        try:
            self.claimant(plan, operator)
        except NotPermitted:
            return False
        return True

    def _in_coop(self, coop_id: str, operator: str) -> bool:
        coop = self.directory.coops.get(coop_id)
        domain = JID(operator).domain
        return coop is not None and "@" in operator and (
            domain in coop.members or domain == coop.host)
