"""The archive's ad-hoc commands (XEP-0050) for stock clients (Gajim, poezio): `transcripts`
searches, lists, then shows one chat in full as the result's note; `feedback` leaves
feedback on a chat the co-op answered. The same rules as the protocol's requests, through
the same readers."""

from __future__ import annotations

from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.adhoc_sessions import BoundedSessions
from components.archive.access import Action
from components.archive.readers import Readers
from components.archive.transcripts_text import chat_label, transcript_text
from components.archive.wire import instant, score
from components.errors import command_errors
from components.forms import add_text, finish_with_text
from refdesk.db.stores.transcripts import Paging, Search
from refdesk.errors import InvalidInput

Session = dict[str, Any]
LISTED = 20
SEARCH_FIELDS = (
    ("text", "Text in the question or the chat"),
    ("start", "From (date, e.g. 2026-03-01)"), ("end", "Before (date)"),
    ("librarian", "Answered by (JID)"), ("institution", "Answering library (domain)"),
    ("widget", "Widget id"), ("coop", "Co-op id"), ("rating", "Patron's rating (1-5)"),
)


class ArchiveCommands:
    def __init__(self, xmpp: ComponentXMPP, readers: Readers) -> None:
        self.xmpp, self.readers = xmpp, readers
        self._adhoc = xmpp.plugin["xep_0050"]
        self._forms = xmpp.plugin["xep_0004"]

    def register(self) -> None:
        self._adhoc.set_backend(BoundedSessions())
        self._advertise()
        # slixmpp's ad-hoc plugin empties the advertised list at every session bind.
        self.xmpp.add_event_handler("session_bind", lambda _: self._advertise())

    def _advertise(self) -> None:
        self._adhoc.add_command(node="transcripts", name="Transcripts",
                                handler=self.command_transcripts)
        self._adhoc.add_command(node="feedback", name="Leave feedback",
                                handler=self.command_feedback)

    async def command_transcripts(self, iq: Iq, session: Session) -> Session:
        form = self._forms.make_form("form", "Search transcripts")
        add_text(form, "Leave everything empty to list the newest chats you may read.")
        for var, label in SEARCH_FIELDS:
            form.add_field(var=var, ftype="text-single", label=label)
        session.update(payload=form, next=self._searched, has_next=True,
                       allow_complete=False, by=iq["from"].bare)
        return session

    async def _searched(self, form: Any, session: Session) -> Session:
        with command_errors("transcripts command"):
            reader = await self.readers.reader(session["by"])
            page = await self.readers.store.search(
                reader.visible, _search(form.get_values()), Paging(max=LISTED))
        if not page.items:
            return _done(session, "No chat you may read matches.")
        chats = self._forms.make_form("form", "Transcripts")
        shown = f"the newest {len(page.items)} are listed" if page.count > LISTED else "all listed"
        add_text(chats, f"{page.count} {'chat matches' if page.count == 1 else 'chats match'}; "
                        f"{shown}.")
        chats.add_field(var="chat", ftype="list-single", label="Show", required=True,
                        options=[{"label": chat_label(c), "value": c.id} for c in page.items])
        session.update(payload=chats, next=self._chosen, has_next=False, allow_complete=True)
        return session

    async def _chosen(self, form: Any, session: Session) -> Session:
        chat_id = str(form.get_values().get("chat") or "")
        with command_errors("transcripts command"):
            reader = await self.readers.reader(session["by"])
            chat = await self.readers.visible_chat(reader, chat_id)
            transcript = await self.readers.store.get(chat.id)
        return finish_with_text(session, transcript_text(transcript, reader.may(chat)))

    async def command_feedback(self, iq: Iq, session: Session) -> Session:
        form = self._forms.make_form("form", "Leave feedback")
        add_text(form, "Feedback on a chat the co-op answered for your library; the "
                       "librarian who answered and their Institution Admins read it.")
        form.add_field(var="chat", ftype="text-single", label="Chat id", required=True)
        form.add_field(var="rating", ftype="list-single", label="Rating",
                       options=[{"label": str(n), "value": str(n)} for n in range(1, 6)])
        form.add_field(var="text", ftype="text-multi", label="Feedback", required=True)
        session.update(payload=form, next=self._feedback_given, has_next=False,
                       allow_complete=True, by=iq["from"].bare)
        return session

    async def _feedback_given(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        text = values.get("text") or ""
        text = "\n".join(text) if isinstance(text, list) else str(text)
        with command_errors("feedback command"):
            if not text.strip():
                raise InvalidInput("The feedback's text is empty.")
            rating = score(str(values.get("rating") or ""))
            reader = await self.readers.reader(session["by"])
            chat = await self.readers.managed_chat(reader, str(values.get("chat") or ""),
                                                   Action.FEEDBACK)
            await self.readers.store.leave_feedback(chat.id, reader.jid, text.strip(), rating)
        return _done(session, "Your feedback is kept with the transcript.")


def _search(values: dict[str, Any]) -> Search:
    given = {var: str(values.get(var) or "").strip() or None for var, _ in SEARCH_FIELDS}
    return Search(start=instant(given["start"], "start"), end=instant(given["end"], "end"),
                  librarian=given["librarian"], institution=given["institution"],
                  widget=given["widget"], coop=given["coop"],
                  rating=score(given["rating"]), text=given["text"])


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
