"""Who may read, and who may manage, a chat kept at this library (schemas/archive.xsd's header).

The seed: "Regular: transcripts and feedback of the chats they answered. Institution Admin:
those of every user of their library, and all their library's patrons' chats. Co-Op Admin:
all chats of the co-op." Staff of the patron's home library edit, delete and email a
transcript; co-op staff from elsewhere read only. The co-ops' registries say who holds which
level (the archive follows them); the library's own directory says who its local admins are.
No XMPP here: the rules are tested as a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from components.queue.console.deskinfo import is_admin
from refdesk.db.models import CoopLevel
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.transcripts import Summary, Visibility
from refdesk.errors import InvalidInput, NotPermitted, RefdeskError

NOTHING = Visibility()
"""What a patron of the library's guest host may see."""


class Action(StrEnum):
    """What a home admin may do with a chat beyond reading it (the transcript's `may`)."""

    EDIT = "edit"
    DELETE = "delete"
    EMAIL = "email"
    FEEDBACK = "feedback"


def refusal(action: Action, manages: bool) -> RefdeskError:
    """Why a reader of a chat may not `action` it."""
    if manages:
        return InvalidInput("Feedback is left on chats the co-op answered for this library, "
                            "not on those its own staff answered.")
    return NotPermitted(f"Only the patron's home library's admins may {action.value} a "
                        "transcript; you may read it.")


def may_manage(directory: Directory, asker: str) -> bool:
    """The home library's local admins, as its own directory says: only they edit, delete,
    email and purge. Co-op levels are "independent of a user's account level within their
    home library" and are given by co-op admins of any member, so they grant reading only."""
    operator = directory.operators.get(asker)
    return operator is not None and operator.local_admin


def visibility(directory: Directory, coops: Mapping[str, CoopRecord], asker: str) -> Visibility:
    """Which of the library's chats `asker` (a bare JID) may see, as a filter for listings."""
    if asker.partition("@")[2] == f"guest.{directory.domain}":
        return NOTHING  # a patron answers no chat: their searches cost nothing
    if is_admin(directory, coops, asker):  # also the library's own Institution Admins
        return Visibility(everything=True)
    whole: set[str] = set()
    answered_in: set[tuple[str, str]] = set()
    for coop in coops.values():
        user = coop.user(asker)
        if user is None or not user.chat_enabled:  # access switched off at their library
            continue
        if user.level == CoopLevel.COOP_ADMIN or user.quality:
            whole.add(coop.id)
        elif user.level == CoopLevel.INSTITUTION_ADMIN:
            answered_in.add((coop.id, user.institution))
    return Visibility(answered_by=asker, coops=frozenset(whole),
                      answered_in=frozenset(answered_in))


def may_see(visible: Visibility, chat: Summary) -> bool:
    """The same rule as the listing's filter, for one chat."""
    return (visible.everything
            or (chat.librarian is not None and chat.librarian == visible.answered_by)
            or any(coop in visible.coops for coop in chat.coops)
            or any((coop, chat.institution) in visible.answered_in for coop in chat.coops))


def allowed_actions(directory: Directory, coops: Mapping[str, CoopRecord], asker: str,
                    chat: Summary) -> tuple[Action, ...]:
    """What `asker` may do with a chat they may see: nothing but read, unless a home admin;
    feedback only on a chat someone from another library answered (the co-op did)."""
    if not may_manage(directory, asker):
        return ()
    by_coop = chat.institution is not None and chat.institution != directory.domain
    return tuple(action for action in Action if action != Action.FEEDBACK or by_coop)
