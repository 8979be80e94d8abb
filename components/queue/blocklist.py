"""Who is blocked, and lifting a block made by mistake: for the admins of the patron's library
only, by the rule that lets them supervise its chats (console/deskinfo.py, is_admin).

Anyone else (a regular librarian, a librarian of another library, a co-op admin elsewhere, a
patron) is refused with the same words whatever they ask, so that they learn nothing: not
whether anyone is blocked, nor whether a block id exists.
"""

from __future__ import annotations

from datetime import datetime

from slixmpp.xmlstream import ET

from components.queue.console.deskinfo import is_admin
from components.queue.console.stanzas import child, element
from components.queue.desk import Desk
from refdesk.db.stores.blocks import BlockRecord, BlockStore
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput, NotPermitted

ADMINS_ONLY = "Blocked patrons are for the admins of this library."
MAX_ID_DIGITS = 18
"""More digits than any block id, short of a database integer's overflow."""


class BlockList:
    """The blocks of this library's patrons, as its admins see and lift them."""

    def __init__(self, desk: Desk, blocks: BlockStore) -> None:
        self.desk, self.blocks = desk, blocks

    def check_admin(self, who: str) -> None:
        if not is_admin(self.desk.directory, self.desk.coops, who):
            raise NotPermitted(ADMINS_ONLY)

    async def listing(self, who: str) -> list[BlockRecord]:
        self.check_admin(who)
        return await self.blocks.listing(utcnow())

    async def lift(self, who: str, block_id: str) -> BlockRecord:
        """Lift a block in force; the admin is checked before the id is even read."""
        self.check_admin(who)
        return await self.blocks.lift(checked_id(block_id), who, utcnow())

    def chat_jid(self, block: BlockRecord) -> str | None:
        return self.desk.chat_jid(block.chat_id) if block.chat_id else None

    def element(self, listed: list[BlockRecord], now: datetime) -> ET.Element:
        """<blocks/> (schemas/console.xsd)."""
        made = element("blocks", {"library": self.desk.directory.domain})
        for block in listed:
            item = child(made, "block", {
                "id": str(block.id), "state": state(block, now),
                "at": block.created_at.isoformat(), "until": block.until.isoformat(),
                "by": block.blocked_by, "chat": self.chat_jid(block),
                "lifted-at": block.lifted_at.isoformat() if block.lifted_at else None,
                "lifted-by": block.lifted_by})
            child(item, "reason", text=block.reason)
        return made

    def line(self, block: BlockRecord, now: datetime) -> str:
        """One block as a stock client shows it in a command's form."""
        if block.lifted_at is not None:
            how = f"lifted by {block.lifted_by} at {shown(block.lifted_at)}"
        else:
            how = f"{'until' if block.in_force(now) else 'expired'} {shown(block.until)}"
        chat = self.chat_jid(block) or "a deleted chat"
        return (f"#{block.id}: {how}; blocked by {block.blocked_by} at "
                f"{shown(block.created_at)} in {chat}: “{block.reason}”")


def state(block: BlockRecord, now: datetime) -> str:
    if block.lifted_at is not None:
        return "lifted"
    return "in-force" if block.in_force(now) else "expired"


def checked_id(text: str) -> int:
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS or int(text) < 1:
        raise InvalidInput("Name the block to lift by its number, e.g. 12.")
    return int(text)


def shown(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")
