"""Patron chats: created, claimed once, transcribed line by line, ended, rated, followed up."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, func, or_, select, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Chat, ChatCoop, ChatState, EndedBy, Sender, TranscriptLine
from refdesk.db.models.followup import FollowupTicket
from refdesk.db.types import utcnow
from refdesk.errors import Conflict, InvalidInput, NotFound, NotPermitted
from refdesk.useragent import UNTOLD, Origin

log = logging.getLogger(__name__)


class ChatAlreadyClaimed(Conflict):
    def __init__(self, nick: str, institution: str) -> None:
        super().__init__(f"This chat was already claimed by {nick} ({institution}).")
        self.nick, self.institution = nick, institution


@dataclass(frozen=True)
class ChatRecord:
    """What the queue knows of a chat; no ORM object leaves the store."""

    id: str
    widget_id: str
    patron_jid: str
    patron_name: str | None
    patron_email: str | None
    question: str
    referrer: str | None
    user_agent: str | None
    state: ChatState
    created_at: datetime
    claimed_at: datetime | None
    claimed_by: str | None
    claimed_nick: str | None
    claimed_institution: str | None
    ended_at: datetime | None
    ended_by: EndedBy | None
    rating: int | None
    routing: dict[str, Any]
    resume_token: str | None
    origin: Origin = UNTOLD
    """The page and browser as reports count them."""

    @classmethod
    def of(cls, chat: Chat) -> ChatRecord:
        return cls(
            chat.id, chat.widget_id, chat.patron_jid, chat.patron_name, chat.patron_email,
            chat.question, chat.referrer, chat.user_agent, chat.state, chat.created_at,
            chat.claimed_at, chat.claimed_by, chat.claimed_nick, chat.claimed_institution,
            chat.ended_at, chat.ended_by, chat.rating, dict(chat.routing or {}), chat.resume_token,
            Origin(chat.source, chat.browser, chat.os, chat.device),
        )


@dataclass(frozen=True)
class Line:
    seq: int
    at: datetime
    sender: Sender
    sender_jid: str | None
    nick: str | None
    body: str
    script: str | None = None
    """The library's scripted message this operator line sent, if it was one."""


@dataclass(frozen=True)
class NewChat:
    widget_id: str
    institution_id: int
    patron_jid: str
    question: str
    patron_name: str | None = None
    patron_email: str | None = None
    referrer: str | None = None
    user_agent: str | None = None
    source: str | None = None
    """The page, browser, OS and device as reports count them (refdesk.useragent)."""
    browser: str | None = None
    os: str | None = None
    device: str | None = None


class ChatStore:
    """Each method is one transaction in its own session."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def create(self, new: NewChat, routing: dict[str, Any]) -> ChatRecord:
        """The chat, with the patron's question as the first line of its transcript."""
        async with self._sessions() as session, session.begin():
            chat = Chat(**vars(new), routing=routing, last_seq=1,
                        resume_token=secrets.token_urlsafe(24))
            session.add(chat)
            session.add(TranscriptLine(chat=chat, seq=1, sender=Sender.PATRON,
                                       sender_jid=new.patron_jid, nick=new.patron_name,
                                       body=new.question))
            await session.flush()
            await _record_coops(session, chat.id, routing)
            return ChatRecord.of(chat)

    async def get(self, chat_id: str) -> ChatRecord:
        async with self._sessions() as session:
            return ChatRecord.of(await self._chat(session, chat_id))

    async def claim(self, chat_id: str, operator: str, nick: str,
                    institution: str) -> ChatRecord:
        """The first claim wins, decided by one conditional UPDATE in the database."""
        async with self._sessions() as session, session.begin():
            claimed = await session.execute(
                update(Chat).where(Chat.id == chat_id, Chat.state == ChatState.WAITING)
                .values(state=ChatState.ACTIVE, claimed_by=operator, claimed_nick=nick,
                        claimed_institution=institution, claimed_at=utcnow())
            )
            chat = await self._chat(session, chat_id)
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                return ChatRecord.of(chat)
            if chat.state == ChatState.ACTIVE:
                raise ChatAlreadyClaimed(chat.claimed_nick or "", chat.claimed_institution or "")
            raise Conflict(f"This chat is {chat.state.value}; it can no longer be claimed.")

    async def resume(self, chat_id: str, token: str, patron: str) -> ChatRecord:
        """Move the chat to the patron's new JID, if the token is the chat's."""
        async with self._sessions() as session, session.begin():
            moved = await session.execute(
                update(Chat).where(Chat.id == chat_id, Chat.resume_token == token)
                .values(patron_jid=patron)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise NotPermitted("This chat cannot be resumed with that token.")
            return ChatRecord.of(await self._chat(session, chat_id))

    async def release(self, chat_id: str, routing: dict[str, Any]) -> ChatRecord:
        """Back to waiting after a transfer, with a new routing plan."""
        async with self._sessions() as session, session.begin():
            chat = await self._chat(session, chat_id, ChatState.ACTIVE)
            chat.state, chat.routing = ChatState.WAITING, routing
            chat.claimed_by = chat.claimed_nick = chat.claimed_institution = None
            chat.claimed_at = None
            await _record_coops(session, chat_id, routing)
            return ChatRecord.of(chat)

    async def save_routing(self, chat_id: str, routing: dict[str, Any]) -> bool:
        """Store a waiting chat's progress; False when it no longer waits (claimed or ended
        meanwhile), in which case nothing is stored and nobody should be offered it."""
        async with self._sessions() as session, session.begin():
            saved = await session.execute(
                update(Chat).where(Chat.id == chat_id, Chat.state == ChatState.WAITING)
                .values(routing=routing))
            if saved.rowcount != 1:  # type: ignore[attr-defined]
                return False
            await _record_coops(session, chat_id, routing)
            return True

    async def open_chats_of(self, patron_bare: str) -> int:
        """How many chats this patron has waiting or under way."""
        patron = type_coerce(Chat.patron_jid, String)
        async with self._sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(Chat).where(
                    Chat.state.in_((ChatState.WAITING, ChatState.ACTIVE)),
                    # Compared as text: a LIKE pattern is not a JID the column type accepts.
                    or_(patron == patron_bare,
                        patron.startswith(f"{patron_bare}/", autoescape=True))))
            return int(count or 0)

    async def append(self, chat_id: str, sender: Sender, body: str,
                     sender_jid: str | None = None, nick: str | None = None,
                     message_id: str | None = None, script: str | None = None) -> Line | None:
        """Add a transcript line after the newest one; None when the line with this
        message_id is there already (its sender resent it)."""
        try:
            return await self._append(chat_id, sender, body, sender_jid, nick, message_id,
                                      script)
        except IntegrityError:
            if message_id is None:
                raise
            return None

    async def _append(self, chat_id: str, sender: Sender, body: str, sender_jid: str | None,
                      nick: str | None, message_id: str | None, script: str | None) -> Line:
        async with self._sessions() as session, session.begin():
            seq = await session.scalar(
                update(Chat).where(Chat.id == chat_id).values(last_seq=Chat.last_seq + 1)
                .returning(Chat.last_seq)
            )
            if seq is None:
                raise NotFound("There is no such chat.")
            line = TranscriptLine(chat_id=chat_id, seq=seq, sender=sender,
                                  sender_jid=sender_jid, nick=nick, body=body,
                                  message_id=message_id, script=script)
            session.add(line)
            await session.flush()
            return Line(line.seq, line.at, line.sender, line.sender_jid, line.nick, line.body,
                        line.script)

    async def transcript(self, chat_id: str) -> list[Line]:
        async with self._sessions() as session:
            lines = await session.scalars(
                select(TranscriptLine).where(TranscriptLine.chat_id == chat_id)
                .order_by(TranscriptLine.seq)
            )
            return [Line(x.seq, x.at, x.sender, x.sender_jid, x.nick, x.body, x.script)
                    for x in lines]

    async def end(self, chat_id: str, by: EndedBy) -> ChatRecord:
        async with self._sessions() as session, session.begin():
            chat = await self._chat(session, chat_id, ChatState.ACTIVE)
            chat.state, chat.ended_by, chat.ended_at = ChatState.ENDED, by, utcnow()
            return ChatRecord.of(chat)

    async def cancel(self, chat_id: str) -> ChatRecord:
        async with self._sessions() as session, session.begin():
            chat = await self._chat(session, chat_id, ChatState.WAITING)
            chat.state, chat.ended_by = ChatState.CANCELLED, EndedBy.PATRON
            chat.ended_at = utcnow()
            return ChatRecord.of(chat)

    async def rate(self, chat_id: str, score: int, comment: str | None) -> None:
        if not 1 <= score <= 5:
            raise InvalidInput("A rating is a whole number from 1 to 5.")
        async with self._sessions() as session, session.begin():
            rated = await session.execute(
                update(Chat).where(Chat.id == chat_id, Chat.state == ChatState.ENDED,
                                   Chat.rating.is_(None))
                .values(rating=score, comment=comment or None))
            if rated.rowcount == 1:  # type: ignore[attr-defined]
                return
            await self._chat(session, chat_id, ChatState.ENDED)  # says why, if not ended
            raise Conflict("This chat has been rated already. Thank you!")

    async def follow_up(self, chat_id: str, operator: str, note: str | None) -> int:
        """Mark the chat for follow-up and open a ticket at the home library; its id."""
        async with self._sessions() as session, session.begin():
            chat = await self._chat(session, chat_id)
            chat.followup = True
            ticket = FollowupTicket(chat_id=chat.id, institution_id=chat.institution_id,
                                    opened_by=operator, note=note or None,
                                    patron_name=chat.patron_name,
                                    patron_email=chat.patron_email)
            session.add(ticket)
            await session.flush()
            return ticket.id

    async def leave_question(self, new: NewChat, note: str) -> int:
        """A question asked while nobody was online: a chat kept as its transcript, and a
        follow-up ticket at the home library; the ticket's id."""
        async with self._sessions() as session, session.begin():
            chat = Chat(**vars(new), state=ChatState.LEFT, followup=True, last_seq=1,
                        ended_by=EndedBy.PATRON, ended_at=utcnow())
            session.add(chat)
            session.add(TranscriptLine(chat=chat, seq=1, sender=Sender.PATRON,
                                       sender_jid=new.patron_jid, nick=new.patron_name,
                                       body=new.question))
            ticket = FollowupTicket(chat=chat, institution_id=new.institution_id, note=note,
                                    patron_name=new.patron_name,
                                    patron_email=new.patron_email)
            session.add(ticket)
            await session.flush()
            return ticket.id

    async def of_ticket(self, ticket_id: int) -> ChatRecord:
        """The chat a follow-up ticket was opened for."""
        async with self._sessions() as session:
            chat = await session.scalar(select(Chat).join(
                FollowupTicket, FollowupTicket.chat_id == Chat.id).where(
                FollowupTicket.id == ticket_id))
            if chat is None:
                raise NotFound(f"No chat has ticket #{ticket_id}.")
            return ChatRecord.of(chat)

    async def waiting(self) -> list[ChatRecord]:
        """Waiting chats, oldest first: the queue in order."""
        return await self._in_state(ChatState.WAITING)

    async def active(self) -> list[ChatRecord]:
        """Claimed chats in progress, oldest first."""
        return await self._in_state(ChatState.ACTIVE)

    async def queue_order(self) -> list[tuple[str, str]]:
        """(chat id, patron JID) of the waiting chats, oldest first: a light read for the
        queue positions, which are recomputed often."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(Chat.id, Chat.patron_jid).where(Chat.state == ChatState.WAITING)
                .order_by(Chat.created_at, Chat.id)
            )
            return [(chat_id, patron) for chat_id, patron in rows]

    async def mean_wait_s(self, recent: int = 20) -> float | None:
        """Mean time from request to claim over the most recent claims, if any."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(Chat.created_at, Chat.claimed_at).where(Chat.claimed_at.is_not(None))
                .order_by(Chat.claimed_at.desc()).limit(recent)
            )
            waits = [(claimed - created).total_seconds()
                     for created, claimed in rows if claimed is not None]
        return sum(waits) / len(waits) if waits else None

    async def _in_state(self, state: ChatState) -> list[ChatRecord]:
        async with self._sessions() as session:
            chats = await session.scalars(
                select(Chat).where(Chat.state == state).order_by(Chat.created_at, Chat.id)
            )
            return [ChatRecord.of(chat) for chat in chats]

    @staticmethod
    async def _chat(session: AsyncSession, chat_id: str,
                    expected: ChatState | None = None) -> Chat:
        chat = await session.get(Chat, chat_id)
        if chat is None:
            raise NotFound("There is no such chat.")
        if expected is not None and chat.state != expected:
            raise Conflict(f"This chat is {chat.state.value}.")
        return chat


async def _record_coops(session: AsyncSession, chat_id: str, routing: dict[str, Any]) -> None:
    """Remember every co-op the plan offered the chat to (its admins and Quality team may
    read the transcript); kept when a later plan (after a transfer) no longer names it.
    Called after the chat's row was written in the same transaction, which serialises
    writers of one chat, so reading what is there before adding is enough."""
    offered = {offer[2] for offer in routing.get("offers", ())
               if isinstance(offer, list) and len(offer) > 2 and offer[2]}
    if not offered:
        return
    known = set(await session.scalars(
        select(ChatCoop.coop_id).where(ChatCoop.chat_id == chat_id)))
    session.add_all(ChatCoop(chat_id=chat_id, coop_id=coop) for coop in sorted(offered - known))
