"""The ad-hoc command `search` (XEP-0050) at faq.<library> for stock clients (Gajim,
poezio): words in, the FAQs the librarian may read out as the result's note, 24/7 Staffing
ones marked as staff-only. The same search as the protocol's, through the same Searches."""

from __future__ import annotations

from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.adhoc_sessions import offer_command
from components.errors import command_errors
from components.faq.searches import Searches, results_text
from components.forms import add_text, finish_with_text

Session = dict[str, Any]
LISTED = 10


class SearchCommand:
    def __init__(self, xmpp: ComponentXMPP, searches: Searches) -> None:
        self.xmpp, self.searches = xmpp, searches
        self._forms = xmpp.plugin["xep_0004"]

    def register(self) -> None:
        offer_command(self.xmpp, "search", "Search FAQs", self.command_search)

    async def command_search(self, iq: Iq, session: Session) -> Session:
        form = self._forms.make_form("form", "Search the library's FAQs")
        add_text(form, "Words from the patron's question; the best matches come first.")
        form.add_field(var="words", ftype="text-single", label="Words", required=True)
        session.update(payload=form, next=self._searched, has_next=False,
                       allow_complete=True, by=iq["from"].bare)
        return session

    async def _searched(self, form: Any, session: Session) -> Session:
        words = str(form.get_values().get("words") or "")
        with command_errors("search command"):
            _, found = await self.searches.find(session["by"], words, LISTED)
        return finish_with_text(session, results_text(found))
