"""Internal notes: lines for staff in a chat's transcript, never for the patron.

A note comes from the chat's claimant or a supervisor (a message with <note/>, or `!note`);
it is kept as a NOTE line, which no path to the patron relays, and copied to the claimant
and the supervisors, not back to its writer.
"""

from __future__ import annotations

from slixmpp import JID

from components.queue.patron_input import checked_line
from components.queue.plan import Plan
from components.queue.supervision import NO_SUCH_CHAT, OPEN_STATES, Supervision
from refdesk.db.models import Sender
from refdesk.errors import Conflict, InvalidInput, NotFound, NotPermitted


async def note(supervision: Supervision, chat_id: str, writer: JID, body: str) -> None:
    """Keep a note and copy it to the chat's other staff."""
    if not body.strip():
        raise InvalidInput("A note needs some text.")
    checked_line(body)
    chat = await supervision.desk.get(chat_id)
    if writer.bare != chat.claimed_by and not supervision.is_supervisor(chat_id, writer.bare):
        if not supervision.desk.entitlement.may_see(Plan.from_json(chat.routing), writer.bare):
            raise NotFound(NO_SUCH_CHAT)  # as for a chat that does not exist
        raise NotPermitted("Claim the chat, or supervise it, before leaving a note.")
    if chat.state not in OPEN_STATES:
        raise Conflict("This chat has ended.")
    desk = supervision.desk
    nick = desk.entitlement.nick(writer.bare)
    line = await desk.store.append(chat_id, Sender.NOTE, body, writer.bare, nick)
    if line is not None and chat.claimed_by and chat.claimed_by != writer.bare:
        supervision.send_line(chat_id, chat.claimed_by, line)
