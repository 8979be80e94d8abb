"""A report as text, for the ad-hoc command's result and the `!report` text command, and
the words of `!report <kind> [from] [to] [coop]` read into a request."""

from __future__ import annotations

from datetime import UTC, datetime

from slixmpp.xmlstream import ET

from components.queue.textcommands import command
from components.stats.wire import NS, ReportRequest, read_report
from refdesk.reports.engine import KINDS

USAGE = (f"{command('report')} <{'|'.join(KINDS)}> [from] [to] [co-op]: your report for the "
         "period (days as 2026-03-01; this month so far when left out), in UTC")


def read_words(words: str, zone: str | None = None) -> ReportRequest:
    """The request typed as `kind [from] [to] [coop]`."""
    kind, first, last, coop, *_ = [*words.split(), None, None, None, None]
    today = datetime.now(UTC).date()
    first = first or today.replace(day=1).isoformat()
    attributes = {"kind": kind or "", "from": first, "to": last or today.isoformat(),
                  "zone": zone or "UTC", **({"coop": coop} if coop else {})}
    return read_report(ET.Element(f"{{{NS}}}report", attributes))


def report_text(report: ET.Element) -> str:
    """The report's tables as lines a librarian reads in any client; rows with no chats
    (the empty hours of a distribution) are left out."""
    lines = [(f"{report.get('kind', '').capitalize()}, {report.get('from')} to "
             f"{report.get('to')} ({report.get('zone')}): {report.get('chats')} chats, "
             f"scope {report.get('scope')}")]
    for table in report.findall(f"{{{NS}}}table"):
        lines.append(f"{table.get('name')}:")
        rows = [row for row in table.findall(f"{{{NS}}}row") if row.get("chats") != "0"]
        lines.extend(f"  {_row(row)}" for row in rows)
        if not rows:
            lines.append("  (no chats)")
    return "\n".join(lines)


def _row(row: ET.Element) -> str:
    name = row.get("key", "")
    if row.get("label"):
        name = f"{row.get('label')} ({name})"
    found = [name, f"{row.get('chats')} chats", f"{row.get('answered')} answered"]
    if row.get("wait"):
        found.append(f"wait {float(row.get('wait', 0)):.0f} s")
    if row.get("duration"):
        found.append(f"duration {float(row.get('duration', 0)):.0f} s")
    if row.get("rating"):
        found.append(f"rating {row.get('rating')} ({row.get('ratings')})")
    return ", ".join(found)

