"""Seeing who is blocked and lifting a block, twice over: urn:refdesk:console:0 requests at
queue.<library> (schemas/console.xsd, blocks and unblock) for the console and any client,
and the ad-hoc command `blocks` there for stock clients (a listing, and a form to lift one).

Who may: components/queue/blocklist.py. A lifted block counts no more at once in the queue,
which reads the database for every request, and at the gateway on its next look at the
BLOCKS change counter (gateway/blocks.py, every second).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.errors import command_errors, xmpp_errors
from components.forms import add_text
from components.iqroutes import register_iq_routes
from components.queue.blocklist import BlockList
from components.queue.console.stanzas import register_stanzas
from refdesk.db.stores.blocks import BlockRecord
from refdesk.db.types import utcnow
from refdesk.errors import NotFound

Session = dict[str, Any]
NO_SUCH_CHAT = "There is no such chat."
NOBODY = "Nobody is blocked here, and no block ended lately."


class BlockRequests:
    def __init__(self, xmpp: ComponentXMPP, blocks: BlockList,
                 until_ready: Callable[[], Awaitable[None]]) -> None:
        self.xmpp, self.blocks, self._until_ready = xmpp, blocks, until_ready
        self._adhoc = xmpp.plugin["xep_0050"]

    def register(self) -> None:
        register_stanzas()
        register_iq_routes(self.xmpp, {("get", "console_blocks"): self._handle_blocks,
                                       ("set", "console_unblock"): self._handle_unblock})
        self._advertise()
        # slixmpp's ad-hoc plugin empties the advertised list at every session bind.
        self.xmpp.add_event_handler("session_bind", lambda _: self._advertise())

    def _advertise(self) -> None:
        self._adhoc.add_command(node="blocks", name="Blocked patrons",
                                handler=self.command_blocks)

    # --- urn:refdesk:console:0 ------------------------------------------------------------

    @xmpp_errors
    async def _handle_blocks(self, iq: Iq) -> None:
        _to_queue(iq)
        await self._until_ready()
        listed = await self.blocks.listing(iq["from"].bare)
        reply = iq.reply()
        reply.append(self.blocks.element(listed, utcnow()))
        reply.send()

    @xmpp_errors
    async def _handle_unblock(self, iq: Iq) -> None:
        _to_queue(iq)
        await self._until_ready()
        await self.blocks.lift(iq["from"].bare, iq["console_unblock"]["id"])
        iq.reply().send()

    # --- the ad-hoc command ---------------------------------------------------------------

    async def command_blocks(self, iq: Iq, session: Session) -> Session:
        """The blocks of the library's patrons; tick one in force to lift it."""
        with command_errors("blocks command"):
            await self._until_ready()
            listed = await self.blocks.listing(iq["from"].bare)
        now = utcnow()
        text = "\n".join(self.blocks.line(block, now) for block in listed) or NOBODY
        in_force = [block for block in listed if block.in_force(now)]
        if not in_force:
            return _done(session, text)
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Blocked patrons")
        add_text(form, text)
        form.add_field(var="lift", ftype="list-single", label="Lift a block (optional)",
                       options=[{"label": _option(block), "value": str(block.id)}
                                for block in in_force])
        session.update(payload=form, next=self._lift_submitted, has_next=False,
                       allow_complete=True, by=iq["from"].bare)
        return session

    async def _lift_submitted(self, form: Any, session: Session) -> Session:
        chosen = str(form.get_values().get("lift") or "").strip()
        if not chosen:
            return _done(session, "No block was lifted.")
        with command_errors("blocks command"):
            lifted = await self.blocks.lift(session["by"], chosen)
        return _done(session, f"Block #{lifted.id} is lifted: the patron may ask again.")


def _option(block: BlockRecord) -> str:
    return f"#{block.id}, by {block.blocked_by}: {block.reason[:80]}"


def _to_queue(iq: Iq) -> None:
    """Blocks are asked of the queue itself, never of a chat's JID."""
    if iq["to"].user:
        raise NotFound(NO_SUCH_CHAT)


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
