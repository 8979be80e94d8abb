"""The patrons' transcript mail quota: a few per chat, a cap per hour for the library, and a
mail that could not be sent does not count."""

from __future__ import annotations

import pytest

from components.queue.transcript_requests import MAX_PER_CHAT, MAX_PER_HOUR, MailQuota
from refdesk.errors import Conflict, Unavailable


def test_a_chat_gets_its_transcript_a_few_times_at_most() -> None:
    quota = MailQuota(clock=lambda: 0.0)
    for _ in range(MAX_PER_CHAT):
        quota.take("c1")
    with pytest.raises(Conflict):
        quota.take("c1")
    quota.take("c2")


def test_the_library_sends_at_most_its_hourly_cap_then_again_an_hour_later() -> None:
    now = [0.0]
    quota = MailQuota(clock=lambda: now[0])
    for n in range(MAX_PER_HOUR):
        quota.take(f"chat-{n}")
    with pytest.raises(Unavailable, match="last hour"):
        quota.take("one-more")
    now[0] = 3600.0
    quota.take("one-more")


def test_a_mail_that_failed_does_not_count() -> None:
    quota = MailQuota(clock=lambda: 0.0)
    for _ in range(MAX_PER_CHAT):
        quota.take("c1")
        quota.give_back("c1")
    quota.take("c1")
