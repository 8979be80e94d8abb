"""One FAQ search however it is asked (the search request, the ad-hoc `search` command,
`!faq`): throttled per asker, looking only in the groups the asker's standing may search."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.faq.access import SEARCHABLE, Standing
from components.faq.askers import Askers
from components.faq.budget import fitting_texts
from components.faq.throttle import Throttle
from refdesk.db.models import Availability
from refdesk.db.stores.faqs import FaqRecord, FaqStore
from refdesk.errors import InvalidInput

MAX_WORDS = 200
"""Characters of a search at most (faq.xsd's words)."""


class Searches:
    def __init__(self, askers: Askers, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.askers, self.sessions = askers, sessions
        self.throttle = Throttle()

    async def find(self, jid: str, words: str, limit: int) -> tuple[Standing, list[FaqRecord]]:
        """The asker's standing and the FAQs `jid` (a bare JID) may search that match the
        words, best first."""
        words = words.strip()
        if not words:
            raise InvalidInput("Say what to search for.")
        if len(words) > MAX_WORDS:
            raise InvalidInput(f"A search is at most {MAX_WORDS} characters.")
        self.throttle.take(jid)
        asker = await self.askers.asker(jid)
        store = FaqStore(self.sessions, asker.directory.institution_id)
        return asker.standing, await store.search(words, SEARCHABLE[asker.standing], limit)


def results_text(found: list[FaqRecord]) -> str:
    """Results as a librarian reads them in any client; 24/7 Staffing ones marked."""
    if not found:
        return "No FAQ you may read matches."
    return "\n\n".join(fitting_texts(
        _one(number, faq) for number, faq in enumerate(found, start=1)))


def _one(number: int, faq: FaqRecord) -> str:
    staff = " [24/7 Staffing: staff only, never for the patron]" if (
        faq.availability == Availability.STAFFING) else ""
    return f"{number}. {faq.question}{staff}\n{faq.answer}"
