"""The registry's side of policy pages (schemas/faq.xsd): members' faq components say when
their page last changed (policy-status), and the co-op's Co-Op Admins see who is out of
date (policies) and set the age limit (policy-age), by iq or by the `policies` ad-hoc
command. A report from anyone but faq.<member> of that co-op, or a question from anyone but
its Co-Op Admins, is answered as if there were no such co-op here, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from slixmpp import JID, ComponentXMPP, Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop.access import CoopAccess
from components.errors import xmpp_errors
from components.faq.policywire import read_stamp, stamp
from components.faq.stanzas import NS
from refdesk.db.models import CoopLevel
from refdesk.db.stores.policystatus import CoopPolicies, PolicyStatusStore
from refdesk.db.stores.registry import CoopRecord, RegistryStore
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput, NotFound, NotPermitted

SKEW = timedelta(minutes=5)
"""A reported date may run this far ahead of the registry's clock."""


def no_such_coop(coop_id: str) -> NotFound:
    return NotFound(f"There is no co-op {coop_id[:64]!r} here.")


class PolicyAges:
    """Who may see and set the co-op's policy ages, over the stores."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], host: str) -> None:
        self.registry, self.host = RegistryStore(sessions), host
        self.access = CoopAccess(self.registry, host)
        self.status = PolicyStatusStore(sessions)

    async def admin(self, jid: str, coop_id: str) -> CoopRecord:
        """The co-op, if `jid` is one of its Co-Op Admins."""
        try:
            coop = await self.access.coop(coop_id)
        except NotFound:
            raise no_such_coop(coop_id) from None
        user = coop.user(jid)
        if user is None:
            raise no_such_coop(coop_id)
        if user.level != CoopLevel.COOP_ADMIN:
            raise NotPermitted(f"Only {coop.name}'s Co-Op Admins see and set its members' "
                               "policy page ages.")
        return coop

    async def administered(self, jid: str) -> list[CoopRecord]:
        return [coop for coop in await self.access.coops_of(jid)
                if (user := coop.user(jid)) is not None and user.level == CoopLevel.COOP_ADMIN]


class PolicyRequests:
    def __init__(self, xmpp: ComponentXMPP, ages: PolicyAges) -> None:
        self.xmpp, self.ages = xmpp, ages

    def register(self) -> None:
        routes = {"policy-status": self._handle_status, "policies": self._handle_policies,
                  "policy-age": self._handle_age}
        for name, handler in routes.items():
            self.xmpp.register_handler(CoroutineCallback(
                f"coop {name}", MatchXPath(f"{{{self.xmpp.default_ns}}}iq/{{{NS}}}{name}"),
                handler))  # type: ignore[arg-type]  # the matcher guarantees an Iq

    @xmpp_errors
    async def _handle_status(self, iq: Iq) -> None:
        if not _of_type(iq, "set"):
            return
        request = _payload(iq, "policy-status")
        coop_id, domain = request.get("coop", ""), _member_domain(iq["from"])
        updated = request.get("updated")
        when = None if updated is None else read_stamp(updated)
        if domain is None or not await self._is_member(coop_id, domain):
            raise no_such_coop(coop_id)
        if when is not None and when > utcnow() + SKEW:
            raise InvalidInput("A policy page cannot have changed in the future.")
        await self.ages.status.report(coop_id, domain, when)
        iq.reply(clear=True).send()

    async def _is_member(self, coop_id: str, domain: str) -> bool:
        try:
            return (await self.ages.access.coop(coop_id)).member(domain) is not None
        except NotFound:
            return False

    @xmpp_errors
    async def _handle_policies(self, iq: Iq) -> None:
        if not _of_type(iq, "get"):
            return
        coop = await self.ages.admin(iq["from"].bare, _payload(iq, "policies").get("coop", ""))
        _reply(iq, policies_element(await self.ages.status.policies(coop.id)))

    @xmpp_errors
    async def _handle_age(self, iq: Iq) -> None:
        if not _of_type(iq, "set"):
            return
        request = _payload(iq, "policy-age")
        coop = await self.ages.admin(iq["from"].bare, request.get("coop", ""))
        await self.ages.status.set_max_age(coop.id, days(request.get("max-age-days", "")))
        iq.reply(clear=True).send()


def _of_type(iq: Iq, kind: str) -> bool:
    """Whether the request came as `kind`; a get sent as a set (or the reverse) is answered
    with a sentence, as every request must be, and results and errors with nothing."""
    if iq["type"] in ("result", "error"):
        return False
    if iq["type"] != kind:
        raise InvalidInput(f"Send this request in an iq of type {kind}.")
    return True


def days(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise InvalidInput(f"The age limit is a whole number of days; not {text[:20]!r}.")
    return int(text)


def policies_element(policies: CoopPolicies) -> ET.Element:
    element = ET.Element(f"{{{NS}}}policies", {
        "coop": policies.coop, "max-age-days": str(policies.max_age_days)})
    for member in policies.members:
        attributes = {"domain": member.domain, "name": member.name,
                      "stale": "true" if member.stale else "false"}
        if member.updated is not None:
            attributes["updated"] = stamp(member.updated)
        ET.SubElement(element, f"{{{NS}}}member", attributes)
    return element


def _member_domain(sender: JID) -> str | None:
    """The library whose faq component sent this, or None for any other sender."""
    if sender.user or not sender.domain.startswith("faq."):
        return None
    return sender.domain.removeprefix("faq.")


def _payload(iq: Iq, name: str) -> ET.Element:
    element = iq.xml.find(f"{{{NS}}}{name}")
    assert element is not None  # the matcher found it
    return element


def _reply(iq: Iq, payload: ET.Element) -> None:
    reply = iq.reply(clear=True)
    reply.xml.append(payload)
    reply.send()

