"""Blocking an abusive patron: the chat ends, and their session and network address are
refused until the block expires.

The queue knows only the patron's JID; the block it records names it, and the gateway, which
sees which of its sessions bound that JID, adds the session's (hashed) address and enforces
it (gateway/blocks.py). The patron is told only that the chat has ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from slixmpp import JID

from components.queue import ending
from components.queue.supervision import Supervision
from refdesk.db.models import ChatState, EndedBy, Sender
from refdesk.db.stores.blocks import BlockRecord, BlockStore, NewBlock
from refdesk.db.types import utcnow
from refdesk.errors import Conflict, InvalidInput, NotPermitted

MAX_MINUTES = 525_600
"""365 days, as schemas/console.xsd allows."""
MAX_REASON_CHARS = 4000
PATRON_TOLD = "The chat has ended."
BLOCKED = "You cannot start a new chat here at the moment."
"""What a blocked patron's new request is told: neutral, nothing about why or how long."""


def checked_block(minutes: str, reason: str) -> tuple[int, str]:
    """The block's length and reason, or a clear bad-request."""
    text = (minutes or "").strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_MINUTES:
        raise InvalidInput(f"A block lasts a whole number of minutes from 1 to {MAX_MINUTES} "
                           "(365 days).")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give a reason for the block; it is kept on record.")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidInput(f"A block's reason is at most {MAX_REASON_CHARS} characters.")
    return int(text), reason


async def block(supervision: Supervision, blocks: BlockStore, chat_id: str, by: JID,
                minutes: int, reason: str) -> BlockRecord:
    """Record the block first (so that it holds whatever happens next), then end the chat."""
    chat = await supervision.staff_chat(chat_id, by)
    if chat.state not in (ChatState.WAITING, ChatState.ACTIVE):
        raise Conflict("This chat has ended.")
    until = utcnow() + timedelta(minutes=minutes)
    record = await blocks.add(NewBlock(chat_id, chat.patron_jid, until, reason, by.bare))
    desk = supervision.desk
    nick = desk.entitlement.nick(by.bare)
    await desk.store.append(chat_id, Sender.SYSTEM,
                            f"The patron was blocked by {nick} until {shown(until)}")
    jid = desk.chat_jid(chat_id)
    if chat.state == ChatState.WAITING:
        await ending.cancel(desk, chat_id, chat.patron_jid, "the patron was blocked")
    else:
        ended = await desk.store.end(chat_id, EndedBy.OPERATOR)
        desk.outbox.ended(jid, chat.claimed_by or "", EndedBy.OPERATOR.value,
                          f"The chat has ended: {nick} blocked the patron.")
        desk.offers.presence.hide(jid)
        desk.finished(ended)
    desk.outbox.ended(jid, chat.patron_jid, EndedBy.OPERATOR.value, PATRON_TOLD)
    return record


async def refuse_blocked(blocks: BlockStore, patron: JID) -> None:
    """NotPermitted for a session under a block in force."""
    if await blocks.blocks_session(patron.full, utcnow()):
        raise NotPermitted(BLOCKED)


def shown(until: datetime) -> str:
    return until.strftime("%Y-%m-%d %H:%M UTC")
