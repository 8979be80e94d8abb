"""A chat's transcript as an email: what a home admin mails from the archive and what a
patron asks for at the end of their chat. Only what the patron and the librarians said to
each other goes out: internal notes and refdesk's own lines for staff (transfers with their
staff notes and addresses, blocks, requeues) never do, since either mail may reach a patron."""

from __future__ import annotations

from refdesk.db.models import Sender
from refdesk.db.stores.chats import ChatRecord, Line
from refdesk.mail import Mail

SAID_TO_EACH_OTHER = frozenset({Sender.PATRON, Sender.OPERATOR})


def transcript_mail(library: str, widget: str, chat: ChatRecord, lines: list[Line],
                    to: str, for_patron: bool = False) -> Mail:
    """The transcript of `chat` for `to`; for_patron speaks to the patron as "You"."""
    opened = chat.created_at.strftime("%d %B %Y, %H:%M UTC")
    said = [_line(line, chat, for_patron) for line in lines
            if line.sender in SAID_TO_EACH_OTHER]
    body = "\n".join([f"The transcript of a chat with {library} ({widget}), {opened}.", "",
                      *said, "", library]) + "\n"
    return Mail(to, f"Your chat with {library}" if for_patron
                else f"Chat transcript: {library}, {opened}", body)


def _line(line: Line, chat: ChatRecord, for_patron: bool) -> str:
    if line.sender == Sender.PATRON:
        who = "You" if for_patron else (chat.patron_name or "Patron")
    else:
        who = line.nick or "Librarian"
    text = line.body.replace("\n", "\n    ")
    return f"[{line.at.strftime('%H:%M')}] {who}: {text}"
