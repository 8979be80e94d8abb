"""The sample libraries' scripted messages: what a covering librarian sends with
`!script <name>` or from the console's Scripts tab."""

from __future__ import annotations

from refdesk.db.models import Script

SCRIPTS: dict[str, dict[str, str]] = {
    "alpha.test": {
        "homework": "We can help you find sources for your assignment, but we can't do "
                    "the homework for you. What have you found so far?",
        "reserves": "Course reserves are kept at the Alpha Main Library circulation desk "
                    "and lend for 2 hours; search them in the catalogue by course code.",
        "offcampus": "Off campus, sign in to Alpha's databases with your student ID and "
                     "library PIN through the Off-Campus Access link on the library's home "
                     "page.",
    },
    "beta.test": {
        "renewals": "You can renew items up to twice online under My Account, unless "
                    "someone else has placed a hold on them.",
        "card": "A Beta Public Library card is free to residents: bring photo ID and proof "
                "of address to any branch.",
    },
    "gamma.test": {
        "hours": "Gamma County Library is open Monday to Saturday, 9 am to 8 pm.",
        "ill": "Ask for an interlibrary loan at the Information Desk or with the ILL form "
               "on our website; most items arrive within two weeks.",
    },
}


def sample_scripts(domain: str, institution_id: int) -> list[Script]:
    """The scripts of the sample library at `domain` (none for a co-op's host)."""
    return [Script(institution_id=institution_id, name=name, text=text)
            for name, text in SCRIPTS.get(domain, {}).items()]
