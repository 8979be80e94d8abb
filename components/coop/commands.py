"""The registry's ad-hoc commands (XEP-0050 with XEP-0004 forms): `members` and `roles`.

The requester is their bare JID, authenticated by their own server and s2s; what they may do
is their account level in the registry's database (components/coop/levels.py). On a host of
several co-ops, the first form asks which co-op; with one, it is skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slixmpp import JID, ComponentXMPP, Iq
from slixmpp.jid import InvalidJID

from components.adhoc_sessions import BoundedSessions
from components.coop import levels
from components.coop.access import CoopAccess
from components.coop.joins import Joins
from components.errors import command_errors
from components.forms import add_text
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import CoopMember, CoopUser, RegistryStore
from refdesk.errors import InvalidInput, NotPermitted

Session = dict[str, Any]
Step = Callable[[Session, str], Awaitable[Session]]

LEVEL_LABELS = {
    CoopLevel.REGULAR: "Regular",
    CoopLevel.INSTITUTION_ADMIN: "Institution Admin",
    CoopLevel.COOP_ADMIN: "Co-Op Admin",
}
TRUE_WORDS = {"1", "true", "yes", "on"}


def attach(xmpp: ComponentXMPP, store: RegistryStore, host: str) -> CoopCommands:
    """Give the registry its administrative commands and the join protocol."""
    commands = CoopCommands(xmpp, CoopAccess(store, host))
    commands.register()
    Joins(xmpp, store, host).register()
    return commands


class CoopCommands:
    def __init__(self, xmpp: ComponentXMPP, access: CoopAccess) -> None:
        self.xmpp, self.access = xmpp, access
        self._adhoc = xmpp.plugin["xep_0050"]

    def register(self) -> None:
        self._adhoc.set_backend(BoundedSessions())
        self._advertise()
        # slixmpp's ad-hoc plugin empties the advertised list at every session bind.
        self.xmpp.add_event_handler("session_bind", lambda _: self._advertise())

    def _advertise(self) -> None:
        self._adhoc.add_command(node="members", name="Co-op members",
                                handler=self.command_members)
        self._adhoc.add_command(node="roles", name="Co-op roles", handler=self.command_roles)

    # --- which co-op ------------------------------------------------------------------------

    async def _start(self, iq: Iq, session: Session, step: Step) -> Session:
        actor = str(iq["from"].bare)
        with command_errors("co-op command"):
            coops = await self.access.coops_of(actor)
            if not coops:
                raise NotPermitted("Only users given access to a co-op hosted here can use "
                                   "this command; ask your library's Institution Admin.")
        session["by"] = actor
        if len(coops) == 1:
            return await step(session, coops[0].id)
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Which co-op?")
        form.add_field(var="coop", ftype="list-single", required=True, label="Co-op",
                       options=[{"label": c.name, "value": c.id} for c in coops],
                       value=coops[0].id)

        async def chosen(submitted: Any, session: Session) -> Session:
            return await step(session, str(submitted.get_values().get("coop") or ""))
        session.update(payload=form, next=chosen, has_next=True, allow_complete=False)
        return session

    # --- members ----------------------------------------------------------------------------

    async def command_members(self, iq: Iq, session: Session) -> Session:
        """The co-op's members; a Co-Op Admin also invites, sets contributing, removes."""
        return await self._start(iq, session, self._members_form)

    async def _members_form(self, session: Session, coop_id: str) -> Session:
        with command_errors("members command"):
            coop = await self.access.members(session["by"], coop_id)
        listing = "\n".join(_member_line(m) for m in coop.members) or "No members yet."
        # Everyone with access sees the form; a change beyond their level is refused with
        # who can make it, rather than hidden.
        form = self.xmpp.plugin["xep_0004"].make_form("form", f"Members of {coop.name}")
        add_text(form, f"{listing}\nChanges here are for a Co-Op Admin.")
        form.add_field(var="action", ftype="list-single", label="Change", options=[
            {"label": "Invite a library", "value": "invite"},
            {"label": "Set whether a member contributes", "value": "contributing"},
            {"label": "Remove a member", "value": "remove"}])
        form.add_field(var="domain", ftype="text-single", label="Library's domain")
        form.add_field(var="contributing", ftype="boolean", value=True,
                       label="Contributing (its staff answer every member's patrons)")
        session.update(payload=form, next=self._members_submitted, has_next=False,
                       allow_complete=True, coop=coop.id)
        return session

    async def _members_submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        action = str(values.get("action") or "")
        if not action:
            return _done(session, "Nothing changed.")
        contributing = _true(values.get("contributing", True))
        by, coop_id = session["by"], session["coop"]
        with command_errors("members command"):
            domain = _domain(values.get("domain"))
            if action == "invite":
                await self.access.invite(by, coop_id, domain, contributing)
                text = f"Invited {domain}; it joins with `refdesk coop join` at its end."
            elif action == "contributing":
                await self.access.set_contributing(by, coop_id, domain, contributing)
                text = f"{domain} is {'' if contributing else 'not '}contributing now."
            elif action == "remove":
                await self.access.remove_member(by, coop_id, domain)
                text = f"{domain} is no longer a member."
            else:
                raise InvalidInput(f"No such change: {action}.")
        return _done(session, text)

    # --- roles ------------------------------------------------------------------------------

    async def command_roles(self, iq: Iq, session: Session) -> Session:
        """Users' account levels, as far as the requester may see; admins change them."""
        return await self._start(iq, session, self._roles_form)

    async def _roles_form(self, session: Session, coop_id: str) -> Session:
        with command_errors("roles command"):
            coop = await self.access.coop(coop_id)
            users = await self.access.users(session["by"], coop_id)
        actor = levels.Actor.of(coop, session["by"])
        listing = "\n".join(_user_line(u) for u in users) or "Nobody yet."
        may_give = levels.grantable(actor)
        grantable = ", ".join(LEVEL_LABELS[level] for level in may_give)
        form = self.xmpp.plugin["xep_0004"].make_form("form", f"Roles in {coop.name}")
        add_text(form, f"{listing}\nYou may give: {grantable}." if grantable else
                 f"{listing}\nInstitution Admins and Co-Op Admins give access.")
        form.add_field(var="action", ftype="list-single", label="Change", options=[
            {"label": "Give access or change the level", "value": "grant"},
            {"label": "Take access away", "value": "revoke"},
            {"label": "Put on the Quality team (Co-Op Admins)", "value": "quality-on"},
            {"label": "Take off the Quality team (Co-Op Admins)", "value": "quality-off"}])
        form.add_field(var="jid", ftype="jid-single", label="User (JID)")
        # Only the levels they may give: anything else would be refused.
        form.add_field(var="level", ftype="list-single", label="Level",
                       value=CoopLevel.REGULAR.value,
                       options=[{"label": LEVEL_LABELS[level], "value": level.value}
                                for level in may_give or (CoopLevel.REGULAR,)])
        form.add_field(var="nick", ftype="text-single",
                       label="Name patrons see (optional, for someone new)")
        session.update(payload=form, next=self._roles_submitted, has_next=False,
                       allow_complete=True, coop=coop.id, coop_name=coop.name)
        return session

    async def _roles_submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        action = str(values.get("action") or "")
        if not action:
            return _done(session, "Nothing changed.")
        by, coop_id, name = session["by"], session["coop"], session["coop_name"]
        with command_errors("roles command"):
            target = _user_jid(values.get("jid"), by.partition("@")[2])
            if action == "grant":
                level = _level(values.get("level"))
                nick = str(values.get("nick") or "").strip() or target.partition("@")[0]
                await self.access.grant(by, coop_id, target, nick, level)
                text = f"{target} is {LEVEL_LABELS[level]} in {name} now."
            elif action == "revoke":
                await self.access.revoke(by, coop_id, target)
                text = f"{target} no longer has access to {name}."
            elif action in ("quality-on", "quality-off"):
                on = action == "quality-on"
                await self.access.set_quality(by, coop_id, target, on)
                text = f"{target} is {'on' if on else 'off'} {name}'s Quality team now."
            else:
                raise InvalidInput(f"No such change: {action}.")
        return _done(session, text)


def _member_line(member: CoopMember) -> str:
    role = "contributing" if member.contributing else "not contributing"
    return f"{member.name} ({member.domain}), {member.kind}, {role}"


def _user_line(user: CoopUser) -> str:
    team = ", Quality team" if user.quality else ""
    return f"{user.jid} ({user.nick}, {user.institution}): {LEVEL_LABELS[user.level]}{team}"


def _true(value: Any) -> bool:
    return value is True or str(value).strip().lower() in TRUE_WORDS


def _domain(value: Any) -> str:
    text = str(value or "").strip().lower()
    try:
        jid = JID(text)
    except InvalidJID:
        jid = JID()
    if not text or jid.user or jid.resource:
        raise InvalidInput("Name the library by its XMPP domain, e.g. beta.example.")
    return text


def _user_jid(value: Any, example_domain: str) -> str:
    try:
        jid = JID(str(value or "").strip())
    except InvalidJID:
        jid = JID()
    if not jid.user:
        raise InvalidInput(f"Name the user by their JID, e.g. someone@{example_domain}.")
    return str(jid.bare)


def _level(value: Any) -> CoopLevel:
    try:
        return CoopLevel(str(value or CoopLevel.REGULAR.value))
    except ValueError:
        raise InvalidInput(f"No such level: {value}.") from None


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session

