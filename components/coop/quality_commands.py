"""The registry's `quality` ad-hoc command (XEP-0050), for stock clients: the cases the
requester may see, and for the Quality team a form to review an open one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.coop.quality_desk import QualityDesk
from components.coop.quality_wire import MAX_TEXT, read_case_id
from components.errors import command_errors
from components.forms import add_text
from refdesk.db.stores.quality import Case
from refdesk.errors import InvalidInput

Session = dict[str, Any]


class QualityCommand:
    def __init__(self, xmpp: ComponentXMPP, desk: QualityDesk,
                 reviewed: Callable[[Case], None]) -> None:
        self.xmpp, self.desk, self._reviewed = xmpp, desk, reviewed
        self._adhoc = xmpp.plugin["xep_0050"]

    def register(self) -> None:
        self._advertise()
        # slixmpp's ad-hoc plugin empties the advertised list at every session bind.
        self.xmpp.add_event_handler("session_bind", lambda _: self._advertise())

    def _advertise(self) -> None:
        self._adhoc.add_command(node="quality", name="Quality review",
                                handler=self.command_quality)

    async def command_quality(self, iq: Iq, session: Session) -> Session:
        """The cases the requester sees; the team reviews an open one."""
        by = str(iq["from"].bare)
        with command_errors("quality command"):
            shown = await self.desk.cases(by, None, None)
            open_to_review = await self.desk.reviewable(by)
        listing = "\n\n".join(_case_text(case) for case in shown) or "No cases."
        form = self.xmpp.plugin["xep_0004"].make_form(
            "form" if open_to_review else "result", "Quality review")
        add_text(form, listing)
        if not open_to_review:
            session.update(payload=form, next=None, has_next=False, allow_complete=False)
            return session
        form.add_field(var="case", ftype="list-single", label="Review case", options=[
            {"label": f"{c.id}: chat {c.chat_id} of {c.home}", "value": str(c.id)}
            for c in open_to_review])
        form.add_field(var="comments", ftype="text-multi",
                       label="Comments for the librarian who handled it")
        session.update(payload=form, next=self._submitted, has_next=False,
                       allow_complete=True, by=by)
        return session

    async def _submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        comments = _text(values.get("comments")).strip()
        with command_errors("quality command"):
            if not values.get("case"):
                return _done(session, "Nothing reviewed.")
            if not comments or len(comments) > MAX_TEXT:
                raise InvalidInput(f"Write the comments for the librarian, in at most "
                                   f"{MAX_TEXT} characters.")
            case = await self.desk.review(session["by"], read_case_id(values["case"]), comments)
        self._reviewed(case)
        whom = f" and sent to {case.librarian}" if case.librarian else ""
        return _done(session, f"Case {case.id} is reviewed{whom}.")


def _case_text(case: Case) -> str:
    who = f", answered by {case.librarian} ({case.institution})" if case.librarian else ""
    heading = (f"Case {case.id} ({case.coop}, {case.source}, {case.state}): "
               f"chat {case.chat_id} of {case.home}{who}")
    lines = [heading]
    if case.concern:
        lines.append(f"Concern: {case.concern}")
    if case.comments:
        lines.append(f"Comments: {case.comments}")
    return "\n".join(lines)


def _text(value: Any) -> str:
    """A text-multi field's value: slixmpp gives its lines as a list."""
    if isinstance(value, list):
        return "\n".join(str(line) for line in value)
    return str(value or "")


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
