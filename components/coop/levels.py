"""Who may manage what in a co-op: the three account levels, as rules with no XMPP in them.

From the seed (LibChat, "Adding users from your library to a co-op"): "each user must first
be given access to a co-op before they can monitor and answer chats. This can be done by one
of your library's Institution Admin users. There are three account levels within a co-op,
that are independent of a user's account level within their home library":

- Regular: "users who can monitor and reply to chats from the co-op." They manage nobody.
- Institution Admin: "they can also add users from their library to the co-op, at either
  the Regular or Institution Admin level." So: users of their OWN library only, at those two
  levels only; they change and take away that access too ("manage their library's
  participation within the co-op").
- Co-Op Admin: "they can manage accounts ... for all institutions in their co-op. They can
  also assign the Co-Op Admin permission to other users, as well." The co-op's members
  (invitations, the contributing flag, removal) are theirs too: the co-op is theirs to run.

Decided where the seed is silent:
- An Institution Admin never touches a Co-Op Admin's account, even one of their own
  library: demoting or removing a Co-Op Admin is a Co-Op Admin's decision, or an
  Institution Admin could undo what the co-op decided.
- An Institution Admin may lower or remove their own access (another admin of their
  library, or a Co-Op Admin, can give it back).
- A co-op never loses its last Co-Op Admin through these commands: the last one cannot
  remove or demote themself (make someone else Co-Op Admin first). The host's sysadmin, who
  acts from the command line with full rights, is not held to this: they can always name a
  new one.
- Users of the co-op's host (the co-op's own staff) count as one more institution: only a
  Co-Op Admin, or an Institution Admin at the host, manages them.
- Anyone given access to a co-op may list its members; a Regular user sees only their own
  account in the list of roles, an Institution Admin their library's, a Co-Op Admin all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import CoopRecord, CoopUser
from refdesk.errors import Conflict, NotPermitted

ADMINS = (CoopLevel.INSTITUTION_ADMIN, CoopLevel.COOP_ADMIN)
"""Levels that manage anyone's access."""


class MemberAction(enum.StrEnum):
    """What may be done to a co-op's membership; Co-Op Admins only."""

    INVITE = "invite"
    CONTRIBUTING = "contributing"
    REMOVE = "remove"


MEMBER_ACTION_WORDS = {
    MemberAction.INVITE: "invite a library",
    MemberAction.CONTRIBUTING: "change whether a member contributes",
    MemberAction.REMOVE: "remove a member",
}


@dataclass(frozen=True)
class Actor:
    """Who asks, as the registry knows them in one co-op."""

    jid: str
    """Bare JID."""
    level: CoopLevel | None
    """None: no access to the co-op."""

    @property
    def domain(self) -> str:
        return self.jid.partition("@")[2]

    @classmethod
    def of(cls, coop: CoopRecord, jid: str) -> Actor:
        user = coop.user(jid)
        return cls(jid, user.level if user else None)

    @classmethod
    def entitled(cls, coop: CoopRecord, jid: str) -> Actor:
        """As of(), but with no access while chat is switched off at the user's library."""
        user = entitled_user(coop, jid)
        return cls(jid, user.level if user else None)


def entitled_user(coop: CoopRecord, jid: str) -> CoopUser | None:
    """`jid`'s account in `coop`, if it counts: access given, and chat access on as the
    user's own library last reported it (DESIGN: without it, co-op access counts for nothing)."""
    user = coop.user(jid)
    return user if user is not None and user.chat_enabled else None


def domain_of(jid: str) -> str:
    return jid.partition("@")[2]


def check_access(coop: CoopRecord, actor: Actor) -> None:
    """Anything at all about a co-op needs access to it."""
    if actor.level is None:
        raise NotPermitted(f"Only users given access to {coop.name} can see or manage it; "
                           "ask your library's Institution Admin.")


def check_members(coop: CoopRecord, actor: Actor, action: MemberAction) -> None:
    check_access(coop, actor)
    if actor.level != CoopLevel.COOP_ADMIN:
        raise NotPermitted(
            f"Only a Co-Op Admin of {coop.name} can {MEMBER_ACTION_WORDS[action]}.")


def check_grant(coop: CoopRecord, actor: Actor, target: str, level: CoopLevel) -> None:
    """May `actor` give `target` access to the co-op at `level` (or change it to that)?"""
    _check_manages(coop, actor, target, "give users access to it")
    if level == CoopLevel.COOP_ADMIN and actor.level != CoopLevel.COOP_ADMIN:
        raise NotPermitted(f"Only a Co-Op Admin of {coop.name} can make someone a Co-Op Admin.")
    if level != CoopLevel.COOP_ADMIN:
        _check_keeps_an_admin(coop, target)


def check_revoke(coop: CoopRecord, actor: Actor, target: str) -> None:
    """May `actor` take `target`'s access to the co-op away?"""
    _check_manages(coop, actor, target, "take users' access away")
    _check_keeps_an_admin(coop, target)


def check_quality(coop: CoopRecord, actor: Actor) -> None:
    """Who is on the co-op's Quality team is the co-op's decision: its Co-Op Admins'."""
    check_access(coop, actor)
    if actor.level != CoopLevel.COOP_ADMIN:
        raise NotPermitted(f"Only a Co-Op Admin of {coop.name} puts users on its Quality team "
                           "or takes them off.")


def grantable(actor: Actor) -> tuple[CoopLevel, ...]:
    """The levels `actor` may give, in order."""
    if actor.level == CoopLevel.COOP_ADMIN:
        return tuple(CoopLevel)
    if actor.level == CoopLevel.INSTITUTION_ADMIN:
        return (CoopLevel.REGULAR, CoopLevel.INSTITUTION_ADMIN)
    return ()


def visible_users(coop: CoopRecord, actor: Actor) -> tuple[CoopUser, ...]:
    """The accounts `actor` sees in the list of roles."""
    if actor.level == CoopLevel.COOP_ADMIN:
        return coop.users
    if actor.level == CoopLevel.INSTITUTION_ADMIN:
        return tuple(u for u in coop.users if domain_of(u.jid) == actor.domain)
    return tuple(u for u in coop.users if u.jid == actor.jid)


def _check_manages(coop: CoopRecord, actor: Actor, target: str, doing: str) -> None:
    check_access(coop, actor)
    if actor.level == CoopLevel.COOP_ADMIN:
        return
    if actor.level not in ADMINS:
        raise NotPermitted(f"Only an Institution Admin or a Co-Op Admin of {coop.name} can "
                           f"{doing}; ask your library's Institution Admin.")
    if domain_of(target) != actor.domain:
        raise NotPermitted(f"Only a Co-Op Admin of {coop.name} can manage the accounts of "
                           f"{domain_of(target)}; an Institution Admin manages their own "
                           "library's.")
    current = coop.user(target)
    if current is not None and current.level == CoopLevel.COOP_ADMIN:
        raise NotPermitted(f"Only a Co-Op Admin of {coop.name} can change a Co-Op Admin's "
                           "access.")


def _check_keeps_an_admin(coop: CoopRecord, target: str) -> None:
    """The last Co-Op Admin stays one: a co-op nobody can run is a sysadmin's call."""
    current = coop.user(target)
    if current is None or current.level != CoopLevel.COOP_ADMIN:
        return
    if not any(u.level == CoopLevel.COOP_ADMIN and u.jid != target for u in coop.users):
        raise Conflict(f"{target} is the last Co-Op Admin of {coop.name}: make someone else "
                       "Co-Op Admin first.")
