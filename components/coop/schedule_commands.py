"""The schedule for stock clients: the ad-hoc command `schedule` (XEP-0050) and the text
command `!schedule [week]` typed in a chat with coop.<host>, for clients without ad-hoc
commands. Both show the week of every co-op hosted here the asker has access to."""

from __future__ import annotations

from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.adhoc_sessions import offer_command
from components.coop.schedule_desk import ScheduleDesk
from components.coop.schedule_text import USAGE, week_of, week_text
from components.coop.textcommands import CoopTextCommands
from components.errors import command_errors
from components.forms import add_text
from refdesk.errors import NotPermitted, RefdeskError

Session = dict[str, Any]
WORD = "schedule"


class ScheduleCommands:
    def __init__(self, xmpp: ComponentXMPP, desk: ScheduleDesk) -> None:
        self.xmpp, self.desk = xmpp, desk

    def register(self, text: CoopTextCommands) -> None:
        offer_command(self.xmpp, WORD, "Staffing schedule", self.command_schedule)
        text.add(WORD, USAGE, self.answer)

    async def weeks(self, jid: str, word: str = "") -> str:
        """The week (this one, or the one `word` names) of each co-op `jid` is in."""
        coops = await self.desk.coops_of(jid)
        if not coops:
            raise NotPermitted("Only users given access to a co-op hosted here see its "
                               "schedule; ask your library's Institution Admin.")
        texts = []
        for coop in coops:
            settings = await self.desk.store.settings(coop.id)
            view = await self.desk.week(jid, coop.id, week_of(word, settings.zone))
            texts.append(week_text(view))
        return "\n\n".join(texts)

    async def answer(self, jid: str, rest: str = "") -> str:
        """`!schedule [week]`; a refusal is said in the chat, readable in any client."""
        try:
            return await self.weeks(jid, rest)
        except RefdeskError as refused:
            return str(refused)

    async def command_schedule(self, iq: Iq, session: Session) -> Session:
        """This week's schedule, and a field to see another week."""
        jid = str(iq["from"].bare)
        with command_errors("schedule command"):
            text = await self.weeks(jid)
        session.update(by=jid)
        return self._form(session, text)

    async def _another_week(self, form: Any, session: Session) -> Session:
        word = str(form.get_values().get("week") or "").strip()
        if not word:
            session.update(payload=None, next=None, has_next=False)
            return session
        with command_errors("schedule command"):
            text = await self.weeks(session["by"], word)
        return self._form(session, text)

    def _form(self, session: Session, text: str) -> Session:
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Staffing schedule")
        add_text(form, text)
        form.add_field(var="week", ftype="text-single",
                       label="Another week (next, last or a date YYYY-MM-DD)")
        session.update(payload=form, next=self._another_week, has_next=False,
                       allow_complete=True)
        return session
