"""Months of past chats for the demo (`refdesk lab up --history-days N`, which `make demo`
passes), so that a librarian or a co-op coordinator trying refdesk finds reports, the
Contribution Percentage, the dashboard and monitoring activity with figures in them. The
same federation always gets the same history. Test labs start without it: their stories
count their own chats.

Each site keeps its share, as in production: a library its own patrons' chats with their
transcripts, a co-op's host the content-free summaries of its co-ops' chats and its
members' monitoring sessions."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from refdesk.db.models import (
    Chat,
    ChatCoop,
    ChatState,
    ChatSummary,
    EndedBy,
    MonitoringSession,
    Sender,
    TranscriptLine,
)
from refdesk.lab.sample import Federation, Site
from refdesk.useragent import origin

SEED = 2026
QUESTIONS = (
    "How do I renew my books online?",
    "Can I get this article through interlibrary loan?",
    "Where do I find peer-reviewed sources on climate policy?",
    "Is the library open on Sunday?",
    "How do I cite a website in APA?",
    "I can't log in to the databases from home.",
    "Do you have the course reserve for BIO 101?",
    "How much are late fees?",
)
BROWSERS = tuple(" ".join(parts) for parts in (
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
     "Chrome/130.0.0.0 Safari/537.36"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
     "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:131.0) Gecko/20100101",
     "Firefox/131.0"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)",
     "Chrome/130.0.0.0 Mobile Safari/537.36"),
))
PAGES = ("/", "/research/databases", "/services/borrowing", "/help/ask")


@dataclass(frozen=True)
class PastChat:
    id: str
    home: Site
    widget: str
    routed: tuple[str, ...]
    """The co-ops the widget routes to."""
    offered: tuple[str, ...]
    """Those the chat reached: none when it was answered at home first."""
    requested: datetime
    claimed: datetime | None
    ended: datetime
    answerer: tuple[str, str, str] | None
    """(bare JID, nick, library domain) of who answered."""
    rating: int | None
    question: str
    user_agent: str
    referrer: str


def history(federation: Federation, days: int, now: datetime) -> list[PastChat]:
    """Every library's past chats over the last `days` days, oldest first."""
    rng = random.Random(SEED)
    chats = [chat for day in range(days, 0, -1) for site in federation.libraries
             for chat in _day(rng, federation, site, now - timedelta(days=day))]
    return sorted(chats, key=lambda chat: chat.requested)


def _day(rng: random.Random, federation: Federation, site: Site,
         day: datetime) -> Iterator[PastChat]:
    busy = 5 if day.weekday() < 5 else 2
    for _ in range(rng.randint(0, busy)):
        widget = rng.choice(site.widgets)
        routed = tuple(value for kind, value in widget.routing if kind == "coop")
        requested = day.replace(hour=rng.randint(8, 21), minute=rng.randint(0, 59))
        wait = timedelta(seconds=rng.uniform(8, 150))
        at_home = widget.routing[0][0] != "coop" and rng.random() < 0.55
        answerer = None if rng.random() < 0.07 else _answerer(
            rng, federation, site, () if at_home else routed)
        offered = () if answerer is not None and at_home else routed
        claimed = requested + wait if answerer else None
        ended = (claimed or requested) + timedelta(seconds=rng.uniform(90, 1500))
        rating = rng.choice((5, 5, 4, 4, 3, 2)) if answerer and rng.random() < 0.4 else None
        yield PastChat(f"{rng.getrandbits(64):016x}", site, widget.id, routed, offered,
                       requested, claimed, ended, answerer, rating, rng.choice(QUESTIONS),
                       rng.choice(BROWSERS), f"https://www.{site.domain}{rng.choice(PAGES)}")


def _answerer(rng: random.Random, federation: Federation, home: Site,
              coops: tuple[str, ...]) -> tuple[str, str, str]:
    """A librarian of the home library, or, for a co-op chat, of a member that staffs the
    co-op (a contributing member, or the 24/7 co-op's own host)."""
    candidates = [(home, op) for op in home.operators]
    for coop in (c for c in federation.coops if c.id in coops):
        staffing = {domain for domain, contributing in coop.members if contributing}
        staffing |= {coop.host} if coop.kind == "global" else set()
        candidates += [(site, op) for site in federation.sites if site.domain in staffing
                       for op in site.operators if coop.id in op.coops]
    site, operator = rng.choice(candidates)
    return site.jid(operator), operator.name.split()[0], site.domain


def chat_rows(site: Site, institution_id: int, chats: list[PastChat]) -> Iterator[Chat]:
    """The site's own patrons' chats, with their transcripts where the widget keeps them."""
    keeps = {widget.id: widget.keep_transcript for widget in site.widgets}
    for past in (chat for chat in chats if chat.home is site):
        where = origin(past.referrer, past.user_agent)
        lines = _lines(past) if keeps[past.widget] else []
        yield Chat(
            id=past.id, widget_id=past.widget, institution_id=institution_id,
            patron_jid=f"demo-{past.id}@{site.guest_host}", question=past.question,
            referrer=past.referrer, user_agent=past.user_agent, source=where.source,
            browser=where.browser, os=where.os, device=where.device,
            state=ChatState.ENDED if past.answerer else ChatState.CANCELLED,
            created_at=past.requested, claimed_at=past.claimed,
            claimed_by=past.answerer[0] if past.answerer else None,
            claimed_nick=past.answerer[1] if past.answerer else None,
            claimed_institution=past.answerer[2] if past.answerer else None,
            ended_at=past.ended, ended_by=EndedBy.PATRON, rating=past.rating,
            last_seq=len(lines), transcript=lines,
            coops=[ChatCoop(coop_id=coop) for coop in past.offered])


def _lines(past: PastChat) -> list[TranscriptLine]:
    said: list[tuple[datetime, Sender, str | None, str]] = [
        (past.requested, Sender.PATRON, None, past.question)]
    if past.answerer and past.claimed:
        nick = past.answerer[1]
        said += [(past.claimed, Sender.OPERATOR, nick, "Happy to help: let me look."),
                 (past.ended, Sender.OPERATOR, nick, "Here is what I found; anything else?")]
    return [TranscriptLine(seq=seq, at=at, sender=sender, nick=nick, body=body,
                           sender_jid=past.answerer[0] if nick and past.answerer else None)
            for seq, (at, sender, nick, body) in enumerate(said, start=1)]


def summary_rows(site: Site, chats: list[PastChat]) -> Iterator[ChatSummary]:
    """What the co-ops this site hosts were told of their members' chats."""
    for past in chats:
        where = origin(past.referrer, past.user_agent)
        for coop in (c for c in past.routed if c in site.hosts_coops):
            yield ChatSummary(
                coop_id=coop, home=past.home.domain, chat_id=past.id, widget_id=past.widget,
                requested_at=past.requested, claimed_at=past.claimed, ended_at=past.ended,
                answered_by=past.answerer[0] if past.answerer else None,
                answered_institution=past.answerer[2] if past.answerer else None,
                rating=past.rating, offered=coop in past.offered, source=where.source,
                browser=where.browser, os=where.os, device=where.device)


def monitoring_rows(federation: Federation, site: Site, days: int,
                    now: datetime) -> Iterator[MonitoringSession]:
    """A few stretches of monitoring a day by the staff of each co-op this site hosts."""
    rng = random.Random(f"{SEED}-{site.domain}")
    for coop in (c for c in federation.coops if c.id in site.hosts_coops):
        staff = [(other, op) for other in federation.sites for op in other.operators
                 if coop.id in op.coops]
        for day in range(days, 0, -1):
            for other, operator in rng.sample(staff, k=min(3, len(staff))):
                start = (now - timedelta(days=day)).replace(hour=rng.randint(8, 18), minute=0)
                yield MonitoringSession(
                    coop_id=coop.id, operator=other.jid(operator), institution=other.domain,
                    started_at=start, ended_at=start + timedelta(hours=rng.choice((1, 2, 3))))
