"""The ad-hoc command `report` (XEP-0050) at stats.<library> and coop.<host>, for stock
clients (Gajim, poezio): a form (kind, from, to, zone, co-op) whose result is the report's
tables as text. The same request, rules and answer as the protocol's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.adhoc_sessions import offer_command
from components.errors import command_errors
from components.forms import finish_with_text
from components.stats.reporttext import report_text
from components.stats.textcommands import Answer, Check
from components.stats.wire import NS, read_report
from refdesk.reports.engine import KINDS

Session = dict[str, Any]
KIND_LABELS = {"distributions": "By month, weekday and hour",
               "sources": "By page, browser, OS and device", "staff": "By librarian and library"}


class ReportCommand:
    def __init__(self, xmpp: ComponentXMPP, answer: Answer, check: Check, coops: bool) -> None:
        """`coops`: the form asks for a co-op (required at a registry hosting several)."""
        self.xmpp, self.answer, self.check, self.coops = xmpp, answer, check, coops
        self._forms = xmpp.plugin["xep_0004"]

    def register(self) -> None:
        offer_command(self.xmpp, "report", "Report", self.command_report)

    async def command_report(self, iq: Iq, session: Session) -> Session:
        with command_errors("report command"):
            await self.check(iq["from"].bare)  # a stranger is refused before any form
        today = datetime.now(UTC).date()
        form = self._forms.make_form("form", "Report")
        form.add_field(var="kind", ftype="list-single", label="Report", required=True,
                       value="distributions",
                       options=[{"label": KIND_LABELS[k], "value": k} for k in KINDS])
        form.add_field(var="from", ftype="text-single", label="From (day, e.g. 2026-03-01)",
                       required=True, value=today.replace(day=1).isoformat())
        form.add_field(var="to", ftype="text-single", label="To (day, included)",
                       required=True, value=today.isoformat())
        form.add_field(var="zone", ftype="text-single", label="Time zone (IANA name)",
                       value="UTC")
        if self.coops:
            form.add_field(var="coop", ftype="text-single", label="Co-op id")
        session.update(payload=form, next=self._asked, has_next=False, allow_complete=True,
                       by=iq["from"].bare)
        return session

    async def _asked(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        given = {var: str(values.get(var) or "").strip() for var in
                 ("kind", "from", "to", "zone", "coop")}
        with command_errors("report command"):
            await self.check(session["by"])
            attributes = {var: value for var, value in given.items() if value}
            request = read_report(ET.Element(f"{{{NS}}}report", attributes))
            report = await self.answer(session["by"], request)
        return finish_with_text(session, report_text(report))
