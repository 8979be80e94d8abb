"""A large library's FAQs never take its faq component offline: Prosody closes a component's
stream on a stanza over 512 KiB, so a patron asking for a big public group, or searching it,
gets answers that fit, a page at a time, and the component keeps answering everyone."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration import faq
from tests.integration.faq import by_id
from tests.integration.xmpp import operator, patron

ALPHA = "alpha.test"
FAQS = 30
ANSWER = "Réponse détaillée à propos des prêts. " * 500
"""About 19,000 characters and 21,000 bytes of UTF-8: thirty of them are over 600 KiB."""


async def test_a_patron_reads_a_group_larger_than_a_stanza_a_page_at_a_time(
        lab: dict[str, Any]) -> None:
    word = f"loans{uuid.uuid4().hex[:8]}"
    async with operator(lab, "ann@alpha.test") as ann:
        group = await faq.save_group(ann, ALPHA, f"Loans in depth {word}", "public")
        try:
            for number in range(FAQS):
                await faq.save_faq(ann, ALPHA, group.id, f"Loans question {number} {word}",
                                   ANSWER[:19_000])
            async with patron(lab, ALPHA) as reader:
                listed = await faq.faqs(reader, ALPHA, group.id)
                found = await faq.search(reader, ALPHA, word, 50)
                again = await faq.search(reader, ALPHA, "renew")

            assert [f.question for f in listed] == [
                f"Loans question {number} {word}" for number in range(FAQS)]
            assert 0 < len(found) < FAQS  # as many as fit, best first
            assert again  # and the component is still there for the next patron
        finally:
            await faq.answer(ann, ALPHA, by_id("delete-group", group.id), "set")
