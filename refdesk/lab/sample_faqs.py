"""The lab's sample FAQs: Alpha has a group of every availability, Beta and Gamma a few
public FAQs and a 24/7 Staffing group each, so that the visibility rules can be seen (and
are tested) across the federation. The credentials are made up."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.db.models import Availability, Faq, FaqGroup, Institution

A = Availability
Entry = tuple[str, str, str]
"""(question, answer, keywords)."""

SAMPLE: dict[str, tuple[tuple[str, Availability, tuple[Entry, ...]], ...]] = {
    "alpha.test": (
        ("Borrowing", A.PUBLIC, (
            ("How do I renew my books?", ("Sign in to My Account on the catalogue and choose "
             "Renew; items can be renewed twice unless someone has requested them."),
             "loans extend due date"),
            ("How do I use the databases off campus?", ("Sign in through the Alpha proxy with "
             "your university ID; the database links on the library site do it for you."),
             "remote access vpn proxy"),
        )),
        ("Old procedures", A.HIDDEN, (
            ("How do I renew by fax?", "We no longer accept renewals by fax.", "fax"),
        )),
        ("Desk notes", A.INTERNAL, (
            ("Which printer jams on the second floor?", ("The one by the stairs (Printer 2B); "
             "call facilities on extension 4410."), "printer jam"),
        )),
        ("Personnel", A.RESTRICTED_INTERNAL, (
            ("Who approves overtime for evening shifts?", ("The head of reference, after "
             "the monthly rota meeting."), "overtime rota"),
        )),
        ("24/7 Staffing", A.STAFFING, (
            ("Database login for co-op librarians", ("Co-op librarians sign in to Alpha's "
             "databases as user coop247 with password tulip-harbor-42."),
             "credentials password proxy"),
            ("Alert: renewals are down this week", ("The catalogue cannot renew until Friday; "
             "tell patrons their loans are extended automatically."), "outage"),
        )),
    ),
    "beta.test": (
        ("Using the library", A.PUBLIC, (
            ("How do I get a library card?", "Bring proof of address to any Beta branch.",
             "membership join"),
            ("Can I renew a DVD?", "DVDs renew once, online or at the desk.", "films"),
        )),
        ("24/7 Staffing", A.STAFFING, (
            ("Beta database access for co-op staff", ("Use the Beta staff proxy; the desk "
             "shares its login by phone."), "credentials"),
        )),
    ),
    "gamma.test": (
        ("Visiting", A.PUBLIC, (
            ("When is Gamma open on holidays?", ("Closed on public holidays; open 10-4 the "
             "day after."), "hours"),
        )),
        ("24/7 Staffing", A.STAFFING, (
            ("Gamma's interlibrary loan form", ("Patrons fill in the county form; co-op "
             "staff cannot submit it for them."), "ill"),
        )),
    ),
}


def add_sample_faqs(session: AsyncSession, home: Institution) -> None:
    """Add the site's sample FAQs (none for a site that has none); `home` has its id."""
    for name, availability, entries in SAMPLE.get(home.domain, ()):
        group = FaqGroup(institution_id=home.id, name=name, availability=availability)
        group.faqs = [Faq(question=q, answer=a, keywords=k) for q, a, k in entries]
        session.add(group)
