"""FAQs exported and imported as CSV (urn:refdesk:faq:0 export and import), the local admins'
alone. An import is all rows or none; one that does not fit a stanza goes through
`refdesk faq import` instead."""

from __future__ import annotations

from typing import ClassVar

from slixmpp import ComponentXMPP, Iq
from slixmpp.types import ErrorConditions, ErrorTypes
from slixmpp.xmlstream import ET
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.errors import xmpp_errors
from components.faq import faqwire
from components.faq.access import Standing
from components.faq.askers import Askers
from components.faq.budget import REPLY_BYTES, size
from components.faq.faq_requests import payload, reply
from components.faq.stanzas import route
from components.iqroutes import register_iq_routes
from refdesk import faqcsv
from refdesk.db.stores.faqs import FaqStore
from refdesk.errors import InvalidInput, RefdeskError

MAX_CSV = 200_000
"""faq.xsd's csvText, in characters; an answer is also held to budget.REPLY_BYTES."""
TOO_LARGE = ("The FAQs are too much CSV for one message; use `refdesk faq {}` on the "
             "library's server.")


class TooLarge(RefdeskError):
    condition: ClassVar[ErrorConditions] = "resource-constraint"
    etype: ClassVar[ErrorTypes] = "modify"


class FaqTransfer:
    def __init__(self, xmpp: ComponentXMPP, askers: Askers,
                 sessions: async_sessionmaker[AsyncSession]) -> None:
        self.xmpp, self.askers, self.sessions = xmpp, askers, sessions

    def register(self) -> None:
        register_iq_routes(self.xmpp, {
            route("get", "export"): self._handle_export,
            route("set", "import"): self._handle_import,
        })

    @xmpp_errors
    async def _handle_export(self, iq: Iq) -> None:
        asker = await self.askers.asker(iq["from"].bare)
        asker.require(Standing.LOCAL_ADMIN, "export the library's FAQs")
        text = faqcsv.write(await FaqStore(self.sessions,
                                           asker.directory.institution_id).export())
        csv = ET.Element(faqwire.tag("csv"))
        csv.text = text
        if len(text) > MAX_CSV or size(csv) > REPLY_BYTES:
            raise TooLarge(TOO_LARGE.format("export"))
        reply(iq, csv)

    @xmpp_errors
    async def _handle_import(self, iq: Iq) -> None:
        found = payload(iq, "import").find(faqwire.tag("csv"))
        text = "" if found is None else found.text or ""
        if len(text) > MAX_CSV or len(text.encode()) > REPLY_BYTES:
            raise TooLarge(TOO_LARGE.format("import"))
        asker = await self.askers.asker(iq["from"].bare)
        asker.require(Standing.LOCAL_ADMIN, "import FAQs")
        rows = faqcsv.read(text)
        if not rows:
            raise InvalidInput("The CSV has no FAQ in it.")
        store = FaqStore(self.sessions, asker.directory.institution_id)
        imported = await store.import_rows(rows, asker.jid)
        reply(iq, ET.Element(faqwire.tag("imported"), {
            "faqs": str(imported.faqs), "groups": str(imported.groups)}))
