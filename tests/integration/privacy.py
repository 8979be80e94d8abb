"""Patron privacy in the lab: purge requests to a library's archive, validated against
archive.xsd both ways, and a chat as its home library's database now has it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import xmlschema
from slixmpp import JID, Iq
from slixmpp.xmlstream import ET, tostring
from sqlalchemy import select, update

from components.archive.stanzas import NS
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import Chat, TranscriptLine
from tests.integration.queue import chat_id, database_url
from tests.integration.xmpp import Session

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "archive.xsd"))


def valid(element: ET.Element) -> ET.Element:
    """The urn:refdesk:archive:0 element, once archive.xsd accepts it."""
    SCHEMA.validate(tostring(element))
    return element


async def purge(session: Session, library: str, start: datetime, end: datetime,
                action: str) -> int:
    """Ask `library`'s archive to purge; the count it answers."""
    iq = session.xmpp.make_iq_set(ito=JID(f"archive.{library}"))
    iq.xml.append(valid(ET.Element(f"{{{NS}}}purge", {
        "start": start.isoformat(), "end": end.isoformat(), "action": action})))
    reply: Iq = await iq.send(timeout=15)
    purged = reply.xml.find(f"{{{NS}}}purged")
    assert purged is not None, "a purge is answered with <purged/>"
    return int(valid(purged).get("count", "-1"))


async def stored(lab: dict[str, Any], chat: str) -> tuple[Chat | None, list[str]]:
    """The chat row (None once deleted) and its lines' bodies, in its home's database."""
    engine = create_engine(database_url(lab, chat.split("@queue.")[1]))
    try:
        async with create_sessionmaker(engine)() as session:
            row = await session.get(Chat, chat_id(chat))
            lines = await session.scalars(select(TranscriptLine.body).where(
                TranscriptLine.chat_id == chat_id(chat)).order_by(TranscriptLine.seq))
            return row, list(lines)
    finally:
        await engine.dispose()


async def ended_at(lab: dict[str, Any], chat: str, when: datetime) -> None:
    """Move the chat's end into the past, as if it had ended then."""
    engine = create_engine(database_url(lab, chat.split("@queue.")[1]))
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await session.execute(update(Chat).where(Chat.id == chat_id(chat)).values(
                created_at=when, ended_at=when))
    finally:
        await engine.dispose()
