"""Where a report's chats come from: one table seen through the same named columns.

A library reports on its own `chat` table (its patrons' chats, whoever answered); a co-op's
registry on its `coop_chat_summary` rows the co-op was offered. Both are read through
`Facts`, so one engine serves both; the conditions go on the table itself (no subquery), so
that the database uses its indexes on the instant the chat was asked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, FromClause, exists, false, literal, or_, select

from refdesk.db.models import Chat, ChatCoop, ChatSummary
from refdesk.reports.period import Period

COLUMNS = ("requested_at", "claimed_at", "ended_at", "answered_by", "answered_institution",
           "home", "widget", "rating", "source", "browser", "os", "device")


@dataclass(frozen=True)
class Scope:
    """Whose chats the asker may see (stats.xsd's header): decided by the answering
    component from the asker's bare JID, never from the request."""

    name: str
    """mine | library | institution | coop, as the report's result says."""
    answered_by: str | None = None
    """Only the chats this librarian (bare JID) answered."""
    institution: str | None = None
    """Only chats answered by this library's users or asked by its patrons."""


@dataclass(frozen=True)
class Filters:
    """What the asker narrowed the report to; filters only narrow the scope."""

    coop: str | None = None
    widget: str | None = None
    institution: str | None = None
    """The answering library's domain."""


@dataclass(frozen=True)
class Facts:
    """A table of chats read as COLUMNS, with the conditions that make it that source."""

    table: FromClause
    columns: Mapping[str, ColumnElement[Any]]
    where: tuple[ColumnElement[bool], ...] = field(default=())
    coop: str | None = None
    """The co-op a registry's facts are about; a coop filter naming another finds nothing."""

    def __getitem__(self, name: str) -> ColumnElement[Any]:
        return self.columns[name]

    def conditions(self, period: Period, scope: Scope,
                   filters: Filters) -> list[ColumnElement[bool]]:
        """The WHERE of a report: this source, the period, the scope, the filters."""
        found = [*self.where, self["requested_at"] >= period.start,
                 self["requested_at"] < period.end]
        if scope.answered_by is not None:
            found.append(self["answered_by"] == scope.answered_by)
        if scope.institution is not None:
            found.append(or_(self["answered_institution"] == scope.institution,
                             self["home"] == scope.institution))
        if filters.widget is not None:
            found.append(self["widget"] == filters.widget)
        if filters.institution is not None:
            found.append(self["answered_institution"] == filters.institution)
        if filters.coop is not None:
            found.append(self._in_coop(filters.coop))
        return found

    def _in_coop(self, coop: str) -> ColumnElement[bool]:
        if self.coop is not None:
            return true_if(self.coop == coop)
        return exists(select(ChatCoop.chat_id).where(ChatCoop.chat_id == Chat.id,
                                                     ChatCoop.coop_id == coop))


def true_if(holds: bool) -> ColumnElement[bool]:
    return literal(True) if holds else false()


def chat_facts(library: str) -> Facts:
    """A library's own patrons' chats: every chat asked through its widgets."""
    chat = Chat.__table__.c
    return Facts(Chat.__table__, {
        "requested_at": chat.created_at, "claimed_at": chat.claimed_at,
        "ended_at": chat.ended_at, "answered_by": chat.claimed_by,
        "answered_institution": chat.claimed_institution,
        "home": literal(library), "widget": chat.widget_id, "rating": chat.rating,
        "source": chat.source, "browser": chat.browser, "os": chat.os, "device": chat.device,
    })


def summary_facts(coop: str) -> Facts:
    """A co-op's chats at its registry: the summaries of chats the co-op was offered."""
    summary = ChatSummary.__table__.c
    columns = {name: summary[name] for name in COLUMNS if name != "widget"}
    return Facts(ChatSummary.__table__, {**columns, "widget": summary.widget_id},
                 (summary.coop_id == coop, summary.offered.is_(True)), coop)
