"""The co-op's Quality team, as rules with no XMPP in them: who may forward a session, who
sees which case, who reviews, and how the proactive sample is drawn.

From the seed (QuestionPoint 24/7 Cooperative FAQ): an institution may "forward the session
to our Quality team" with a concern; the team will "send appropriate comments to the
librarian who handled the session"; and it will "proactively review a set number of
sessions from each library ... on a rotating basis", with "a sample of sessions from each
librarian".

Decided where the seed is silent:
- Whoever may not forward a session, see a case or review it gets the answer a chat or case
  that does not exist gets: a refusal tells nobody that a session was worth a concern.
- "Each library" is the library whose librarian answered: the sample reviews the service a
  library's staff gave, wherever the patron came from. Unanswered chats are never drawn.
- A librarian sees only the reviewed cases of sessions they handled, with the comments but
  not the concern nor who forwarded it: the comments are what the team chose to send them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace

from components.coop.levels import domain_of
from refdesk.db.models import CaseState, CoopLevel
from refdesk.db.stores.activity import Summary
from refdesk.db.stores.quality import Case, Rotation
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotFound, NotPermitted


def no_such_chat(coop: CoopRecord, home: str) -> NotFound:
    # The chat's id is left out: the answer is the same for every chat of the library.
    return NotFound(f"{coop.name} has no such chat of {home}.")


def no_such_case(case_id: int) -> NotFound:
    return NotFound(f"There is no case {case_id}.")


def on_team(coop: CoopRecord, jid: str) -> bool:
    user = coop.user(jid)
    return user is not None and user.quality


def _level(coop: CoopRecord, jid: str) -> CoopLevel | None:
    user = coop.user(jid)
    return user.level if user else None


def check_forward(coop: CoopRecord, jid: str, home: str) -> None:
    """An Institution Admin of the patron's library, or a Co-Op Admin, forwards a session;
    anyone else is told the chat does not exist."""
    level = _level(coop, jid)
    if level == CoopLevel.COOP_ADMIN or (
            level == CoopLevel.INSTITUTION_ADMIN and domain_of(jid) == home):
        return
    raise no_such_chat(coop, home)


def visible(coop: CoopRecord, jid: str, case: Case) -> Case | None:
    """The case as `jid` may see it, or None."""
    level = _level(coop, jid)
    if on_team(coop, jid) or level == CoopLevel.COOP_ADMIN:
        return case
    if level == CoopLevel.INSTITUTION_ADMIN and domain_of(jid) in (case.home, case.institution):
        return case
    if case.state == CaseState.REVIEWED and case.librarian == jid and level is not None:
        return for_librarian(case)
    return None


def for_librarian(case: Case) -> Case:
    """What the librarian who handled the session is shown: the team's comments."""
    return replace(case, concern=None, forwarded_by=None)


def visible_cases(coop: CoopRecord, jid: str, cases: Iterable[Case]) -> list[Case]:
    return [shown for case in cases if (shown := visible(coop, jid, case)) is not None]


def check_review(coop: CoopRecord, jid: str, case: Case) -> None:
    if visible(coop, jid, case) is None:
        raise no_such_case(case.id)
    if not on_team(coop, jid):
        raise NotPermitted(f"Only {coop.name}'s Quality team reviews a case.")


def check_rotation(coop: CoopRecord, jid: str, change: bool) -> None:
    """The team and Co-Op Admins see the rotation and draw; Co-Op Admins set it."""
    admin = _level(coop, jid) == CoopLevel.COOP_ADMIN
    if change and not admin:
        raise NotPermitted(f"Only a Co-Op Admin of {coop.name} sets the review rotation.")
    if not (admin or on_team(coop, jid)):
        raise NotPermitted(f"Only {coop.name}'s Quality team and Co-Op Admins see the "
                           "review rotation and draw samples.")


def draw(rotation: Rotation, summaries: Sequence[Summary], drawn: set[tuple[str, str]],
         rng: random.Random) -> list[Summary]:
    """The sample: `per_librarian` answered sessions of each librarian, then each answering
    library topped up to `per_library`; never a session drawn before (`drawn`: (home,
    chat) pairs). Deterministic for a given `rng` state."""
    pool = sorted((s for s in summaries if s.answered_by and s.answered_institution
                   and (s.home, s.chat_id) not in drawn),
                  key=lambda s: (s.requested_at, s.home, s.chat_id))
    chosen: list[Summary] = []
    for librarian in sorted({s.answered_by or "" for s in pool}):
        theirs = [s for s in pool if s.answered_by == librarian]
        chosen += rng.sample(theirs, min(rotation.per_librarian, len(theirs)))
    for library in sorted({s.answered_institution or "" for s in pool}):
        already = [s for s in chosen if s.answered_institution == library]
        rest = [s for s in pool if s.answered_institution == library and s not in chosen]
        wanted = max(0, rotation.per_library - len(already))
        chosen += rng.sample(rest, min(wanted, len(rest)))
    return sorted(chosen, key=lambda s: (s.requested_at, s.home, s.chat_id))

