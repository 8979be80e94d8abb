"""refdesk's data model: one module per aggregate, all on one declarative Base."""

from __future__ import annotations

from refdesk.db.models.activity import ChatSummary, MonitoringSession
from refdesk.db.models.base import Base
from refdesk.db.models.block import Block
from refdesk.db.models.chat import Chat, ChatCoop, ChatState, EndedBy, Sender, TranscriptLine
from refdesk.db.models.coop import Coop, CoopAudience, CoopKind, Invitation, Membership
from refdesk.db.models.coop_link import CoopLink, LinkState
from refdesk.db.models.department import Department
from refdesk.db.models.faq import Availability, Faq, FaqGroup
from refdesk.db.models.feedback import ChatFeedback
from refdesk.db.models.followup import FollowupTicket, TicketState
from refdesk.db.models.institution import Institution, InstitutionKind
from refdesk.db.models.policy import PolicyEntry, PolicyField, PolicyPage
from refdesk.db.models.quality import CaseSource, CaseState, QualityCase, QualityRotation
from refdesk.db.models.revision import Revision, RevisionScope
from refdesk.db.models.schedule import Holiday, MissedShift, Shift, ShiftPerson, ShiftRole
from refdesk.db.models.script import Script
from refdesk.db.models.user import CoopAccount, CoopLevel, User
from refdesk.db.models.widget import TargetKind, Widget, WidgetTarget

__all__ = [
    "Availability",
    "Base",
    "Block",
    "CaseSource",
    "CaseState",
    "Chat",
    "ChatCoop",
    "ChatFeedback",
    "ChatState",
    "ChatSummary",
    "Coop",
    "CoopAccount",
    "CoopAudience",
    "CoopKind",
    "CoopLevel",
    "CoopLink",
    "Department",
    "EndedBy",
    "Faq",
    "FaqGroup",
    "FollowupTicket",
    "Holiday",
    "Institution",
    "InstitutionKind",
    "Invitation",
    "LinkState",
    "Membership",
    "MissedShift",
    "MonitoringSession",
    "PolicyEntry",
    "PolicyField",
    "PolicyPage",
    "QualityCase",
    "QualityRotation",
    "Revision",
    "RevisionScope",
    "Script",
    "Sender",
    "Shift",
    "ShiftPerson",
    "ShiftRole",
    "TargetKind",
    "TicketState",
    "TranscriptLine",
    "User",
    "Widget",
    "WidgetTarget",
]
