"""How a chat ends: the patron cancels while waiting, either side ends it, the patron rates it
(once), the librarian opens a follow-up ticket."""

from __future__ import annotations

from slixmpp import JID

from components.queue.desk import Desk
from components.queue.plan import Plan
from refdesk.db.models import EndedBy, Sender
from refdesk.errors import InvalidInput, NotPermitted

RATING_PROMPT = "The chat has ended. Thank you! How would you rate it, from 1 to 5?"
MAX_COMMENT_CHARS = 2000
MAX_NOTE_CHARS = 2000


async def end(desk: Desk, chat_id: str, by_jid: str) -> None:
    chat = await desk.get(chat_id)
    by = desk.party(chat, by_jid)
    if by is None:
        raise NotPermitted("Only the patron or the librarian in this chat can end it.")
    chat = await desk.store.end(chat_id, by)
    await desk.store.append(chat_id, Sender.SYSTEM, f"Ended by the {by.value}")
    jid = desk.chat_jid(chat_id)
    desk.outbox.ended(jid, chat.patron_jid, by.value, RATING_PROMPT)
    desk.outbox.ended(jid, chat.claimed_by or "", by.value, "The chat has ended.")
    desk.offers.presence.hide(jid)
    desk.changed(chat)
    desk.finished(chat)


async def cancel(desk: Desk, chat_id: str, patron: str, why: str = "the patron left") -> None:
    """The patron gives up (or is gone) before anyone claimed the chat: the offers are
    withdrawn and the queue moves up."""
    chat = await desk.get(chat_id)
    if JID(patron).bare != JID(chat.patron_jid).bare:
        raise NotPermitted("Only the patron who asked can cancel this chat.")
    cancelled = await desk.store.cancel(chat_id)
    desk.timers.cancel(chat_id)
    for offer in Plan.from_json(chat.routing).offers:
        if offer.posted:
            desk.outbox.withdrawn(offer.to, desk.chat_jid(chat_id), offer.room, why)
    desk.offers.presence.hide(desk.chat_jid(chat_id))
    desk.queue_changed()
    desk.changed(cancelled)
    desk.finished(cancelled)


async def rate(desk: Desk, chat_id: str, patron: str, score: int | None, comment: str) -> None:
    chat = await desk.get(chat_id)
    if JID(patron).bare != JID(chat.patron_jid).bare:
        raise NotPermitted("Only the patron can rate this chat.")
    if score is None:
        raise InvalidInput("A rating is a whole number from 1 to 5.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"A comment is at most {MAX_COMMENT_CHARS} characters.")
    await desk.store.rate(chat_id, score, comment)
    desk.finished(await desk.get(chat_id))


async def follow_up(desk: Desk, chat_id: str, operator: str, note: str | None) -> int:
    chat = await desk.get(chat_id)
    if desk.party(chat, operator) != EndedBy.OPERATOR:
        raise NotPermitted("Only the librarian who claimed this chat can ask for follow-up.")
    if note and len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"A note is at most {MAX_NOTE_CHARS} characters.")
    ticket = await desk.store.follow_up(chat_id, operator, note)
    await desk.store.append(chat_id, Sender.SYSTEM, f"Follow-up ticket #{ticket} opened")
    return ticket
