"""The FAQ requests of urn:refdesk:faq:0: search, groups, group, delete-group, faqs, faq,
delete-faq. Every one asks who the asker is first. Reads look only in the groups the
asker's standing may read; changes are the local admins'. A group or FAQ the asker may not
read is answered exactly as a missing one, before any other refusal, so that no one learns
that it exists."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.errors import xmpp_errors
from components.faq import faqwire
from components.faq.access import Standing, listable
from components.faq.askers import Asker
from components.faq.budget import fitting
from components.faq.searches import Searches
from components.faq.stanzas import route
from components.iqroutes import register_iq_routes
from refdesk.db.stores.faqs import FaqStore

EDIT = "change the library's FAQs"


class FaqRequests:
    def __init__(self, xmpp: ComponentXMPP, searches: Searches) -> None:
        self.xmpp, self.searches = xmpp, searches
        self.askers, self.sessions = searches.askers, searches.sessions

    def register(self) -> None:
        register_iq_routes(self.xmpp, {
            route("get", "search"): self._handle_search,
            route("get", "groups"): self._handle_groups,
            route("set", "group"): self._handle_group,
            route("set", "delete-group"): self._handle_delete_group,
            route("get", "faqs"): self._handle_faqs,
            route("set", "faq"): self._handle_faq,
            route("set", "delete-faq"): self._handle_delete_faq,
        })

    async def _asker(self, iq: Iq) -> tuple[Asker, FaqStore]:
        asker = await self.askers.asker(iq["from"].bare)
        return asker, FaqStore(self.sessions, asker.directory.institution_id)

    @xmpp_errors
    async def _handle_search(self, iq: Iq) -> None:
        request = payload(iq, "search")
        words, count = faqwire.search_words(request), faqwire.result_count(request)
        standing, found = await self.searches.find(iq["from"].bare, words, count)
        reply(iq, _list("results", fitting(faqwire.faq_element(faq, standing) for faq in found)))

    @xmpp_errors
    async def _handle_groups(self, iq: Iq) -> None:
        asker, store = await self._asker(iq)
        groups = await store.groups(listable(asker.standing))
        reply(iq, _list("groups", [faqwire.group_element(group) for group in groups]))

    @xmpp_errors
    async def _handle_group(self, iq: Iq) -> None:
        request = payload(iq, "group")
        group_id = faqwire.optional_id(request)
        name, availability = faqwire.group_name(request), faqwire.availability(request)
        asker, store = await self._asker(iq)
        if group_id is not None:
            await store.group(group_id, listable(asker.standing))  # missing unless readable
        asker.require(Standing.LOCAL_ADMIN, EDIT)
        group = await store.save_group(name, availability, group_id)
        reply(iq, faqwire.group_element(group))

    @xmpp_errors
    async def _handle_delete_group(self, iq: Iq) -> None:
        group_id = faqwire.identifier(payload(iq, "delete-group"))
        asker, store = await self._asker(iq)
        await store.group(group_id, listable(asker.standing))
        asker.require(Standing.LOCAL_ADMIN, EDIT)
        await store.delete_group(group_id)
        reply(iq)

    @xmpp_errors
    async def _handle_faqs(self, iq: Iq) -> None:
        request = payload(iq, "faqs")
        group_id, after = faqwire.identifier(request, "group"), faqwire.after(request)
        asker, store = await self._asker(iq)
        page = await store.faqs(group_id, listable(asker.standing), after)
        shown = fitting(faqwire.faq_element(faq, asker.standing) for faq in page.faqs)
        listing = _list("faqs", shown)
        listing.set("group", str(group_id))
        listing.append(faqwire.page_set(shown, page.total))
        reply(iq, listing)

    @xmpp_errors
    async def _handle_faq(self, iq: Iq) -> None:
        draft = faqwire.draft(payload(iq, "faq"))
        asker, store = await self._asker(iq)
        await store.group(draft.group_id, listable(asker.standing))
        if draft.id is not None:
            await store.faq(draft.id, listable(asker.standing))
        asker.require(Standing.LOCAL_ADMIN, EDIT)
        reply(iq, faqwire.faq_element(await store.save_faq(draft, asker.jid), asker.standing))

    @xmpp_errors
    async def _handle_delete_faq(self, iq: Iq) -> None:
        faq_id = faqwire.identifier(payload(iq, "delete-faq"))
        asker, store = await self._asker(iq)
        await store.faq(faq_id, listable(asker.standing))
        asker.require(Standing.LOCAL_ADMIN, EDIT)
        await store.delete_faq(faq_id)
        reply(iq)


def payload(iq: Iq, name: str) -> ET.Element:
    element = iq.xml.find(faqwire.tag(name))
    assert element is not None  # the route matched on it
    return element


def _list(name: str, children: list[ET.Element]) -> ET.Element:
    element = ET.Element(faqwire.tag(name))
    element.extend(children)
    return element


def reply(iq: Iq, answer: ET.Element | None = None) -> None:
    response = iq.reply(clear=True)
    if answer is not None:
        response.xml.append(answer)
    response.send()
