"""The sample libraries' policy pages: Alpha's filled in lately (with the database login it
leaves co-op librarians), Beta's last touched long ago, so that coop-247's Co-Op Admin sees
it out of date; Gamma has none yet."""

from __future__ import annotations

from datetime import timedelta

from refdesk.db.models import PolicyEntry, PolicyField, PolicyPage
from refdesk.db.types import utcnow

PAGES: dict[str, tuple[int, str, dict[PolicyField, str]]] = {
    "alpha.test": (3, "ann@alpha.test", {
        PolicyField.CATALOGUE: "AlphaSearch at catalogue.alpha.test: books, e-books, theses.",
        PolicyField.DATABASES: "JSTOR, Web of Science, PubMed, PsycINFO; a full list at "
                               "alpha.test/databases.",
        PolicyField.DATABASE_ACCESS: "Co-op librarians: sign in through proxy.alpha.test as "
                                     "coop247 / tulip-harbor-42 (changed each term).",
        PolicyField.LATE_FEES: "No fines on regular loans; $2 an hour on course reserves.",
        PolicyField.RENEWALS: "Twice online under My Account, unless someone holds the item.",
        PolicyField.COURSE_RESERVES: "At the Main Library circulation desk, 2-hour loans.",
        PolicyField.INTERLIBRARY_LOAN: "Students and staff, with the ILL form; about a week.",
        PolicyField.HOURS: "Main Library Mon-Thu 8-23, Fri 8-18, Sat-Sun 10-18.",
        PolicyField.HOLIDAYS: "Closed on public holidays and from Dec 24 to Jan 1.",
    }),
    "beta.test": (400, "bea@beta.test", {
        PolicyField.CATALOGUE: "BetaCat at the library's website.",
        PolicyField.LATE_FEES: "25 cents a day per item, at most 5 dollars.",
        PolicyField.HOURS: "Every branch Mon-Sat 9-20.",
    }),
}
"""Domain -> (days since the last update, who made it, the fields)."""


def sample_policy(domain: str, institution_id: int) -> list[PolicyPage]:
    """The page of the sample library at `domain`, if it has one."""
    if domain not in PAGES:
        return []
    age, by, fields = PAGES[domain]
    return [PolicyPage(institution_id=institution_id, updated_at=utcnow() - timedelta(days=age),
                       updated_by=by, fields=[PolicyEntry(field=name, text=text)
                                              for name, text in fields.items()])]
