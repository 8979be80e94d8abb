"""`!faq <words>` typed to faq.<library>, for clients without ad-hoc commands (Dino,
Conversations): the same search as the ad-hoc `search`, answered in the chat."""

from __future__ import annotations

from components.faq.searches import Searches, results_text
from components.queue.textcommands import command
from refdesk.errors import RefdeskError

LISTED = 5
WORD = "faq"
USAGE = f"{command(WORD)} <words>: the library's FAQs you may read that match, best first"


class FaqText:
    def __init__(self, searches: Searches) -> None:
        self.searches = searches

    async def answer(self, asker: str, words: str) -> str:
        """The reply; a refusal is said in the chat, readable in any client."""
        if not words.strip():
            return USAGE
        try:
            return results_text((await self.searches.find(asker, words, LISTED))[1])
        except RefdeskError as refused:
            return str(refused)

