"""The policy requests of urn:refdesk:faq:0: policy (get) answers the page, with a stale
flag per co-op whose age limit it has passed, to staff of the library's co-ops; policy
(set) replaces it, for its local admins. Anyone else is answered as if there were none."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.errors import xmpp_errors
from components.faq.policyaccess import Policies
from components.faq.policywire import policy_element, read_fields
from components.faq.stanzas import NS, route
from components.iqroutes import register_iq_routes


class PolicyRequests:
    def __init__(self, xmpp: ComponentXMPP, policies: Policies) -> None:
        self.xmpp, self.policies = xmpp, policies

    def register(self) -> None:
        register_iq_routes(self.xmpp, {
            route("get", "policy"): self._handle_get,
            route("set", "policy"): self._handle_set,
        })

    @xmpp_errors
    async def _handle_get(self, iq: Iq) -> None:
        asker = await self.policies.reader(iq["from"].bare)
        page, stale = await self.policies.page(asker)
        _reply(iq, policy_element(page, stale))

    @xmpp_errors
    async def _handle_set(self, iq: Iq) -> None:
        asker = await self.policies.editor(iq["from"].bare)
        fields = read_fields(_payload(iq))
        page = await self.policies.save(asker, fields)
        _reply(iq, policy_element(page, self.policies.stale(page.updated)))


def _payload(iq: Iq) -> ET.Element:
    element = iq.xml.find(f"{{{NS}}}policy")
    assert element is not None  # the route matched on it
    return element


def _reply(iq: Iq, payload: ET.Element) -> None:
    reply = iq.reply(clear=True)
    reply.xml.append(payload)
    reply.send()
