"""The policy page's template as librarians read it: each field's label and a short hint of
what goes in it (the seed's "Policy pages": what patrons ask about, and how co-op
librarians get into the library's databases)."""

from __future__ import annotations

from refdesk.db.models import PolicyField

LABELS: dict[PolicyField, str] = {
    PolicyField.CATALOGUE: "Catalogue",
    PolicyField.DATABASES: "Databases",
    PolicyField.DATABASE_ACCESS: "Database access for co-op librarians",
    PolicyField.LATE_FEES: "Late fees",
    PolicyField.RENEWALS: "Renewals",
    PolicyField.COURSE_RESERVES: "Course reserves",
    PolicyField.INTERLIBRARY_LOAN: "Interlibrary loan",
    PolicyField.HOURS: "Hours",
    PolicyField.HOLIDAYS: "Holidays",
    PolicyField.OTHER: "Other topics",
}

HINTS: dict[PolicyField, str] = {
    PolicyField.CATALOGUE: "Where the catalogue is and how patrons search it",
    PolicyField.DATABASES: "The main databases and who may use them",
    PolicyField.DATABASE_ACCESS: "How a librarian of the co-op gets in (a shared login, "
                                 "a proxy)",
    PolicyField.LATE_FEES: "Fines, and how patrons pay them",
    PolicyField.RENEWALS: "How often and how patrons renew",
    PolicyField.COURSE_RESERVES: "Where reserves are and loan periods",
    PolicyField.INTERLIBRARY_LOAN: "Who may request, how, and how long it takes",
    PolicyField.HOURS: "Opening hours of each building or desk",
    PolicyField.HOLIDAYS: "Closures and changed hours",
    PolicyField.OTHER: "Anything else patrons often ask",
}
