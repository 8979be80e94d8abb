"""Handing a claimed chat on: to an online operator or department of the patron's library, to
an online operator of a co-op, or to another co-op the patron's library belongs to.

A transfer puts the chat back in the queue, offered to that one target only; whoever there
claims it first continues the conversation, with the transcript intact.
"""

from __future__ import annotations

import time

from slixmpp import JID

from components.queue.desk import Desk
from components.queue.plan import Plan
from components.queue.routing import Route, Target
from refdesk.db.models import EndedBy, Sender
from refdesk.db.stores.directory import CoopInfo
from refdesk.errors import InvalidInput, NotPermitted, Unavailable


def resolve(desk: Desk, wanted: str) -> tuple[Target, str]:
    """The routing target an operator named, and its label; it must be online."""
    wanted = wanted.strip()
    directory = desk.directory
    if "@" in wanted and " " not in wanted:
        jid = JID(wanted).bare
        target, label = Target("operator", jid), jid
        if not _reachable_operator(desk, jid):
            raise NotPermitted(f"{jid} is neither at {directory.name} nor in one of its co-ops.")
    elif room := _department_room(desk, wanted):
        target, label = Target("department", room), directory.departments[room]
    elif coop := _coop(desk, wanted):
        target = Target("coop", coop.id, coop.is_global)
        label = coop.name
    else:
        raise InvalidInput(f"No operator, department or co-op called {wanted!r}. "
                           "Name an operator's JID, a department or a co-op.")
    if not desk.monitored(target):
        raise Unavailable(f"{label} is not online right now.")
    return target, label


async def transfer(desk: Desk, chat_id: str, operator: str, wanted: str,
                   note: str | None) -> str:
    """Transfer the chat; the label of where it went."""
    chat = await desk.get(chat_id)
    if desk.party(chat, operator) != EndedBy.OPERATOR:
        raise NotPermitted("Only the librarian who claimed this chat can transfer it.")
    target, label = resolve(desk, wanted)
    route = Route((target,), fallback_s=0, staff_delay_s=desk.staff_delay_s)
    await desk.store.release(chat_id, Plan(route, route.start(time.time())).to_json())
    line = f"Transferred by {chat.claimed_nick} to {label}" + (f": {note}" if note else "")
    await desk.store.append(chat_id, Sender.SYSTEM, line)
    desk.outbox.transferred(desk.chat_jid(chat_id), chat.patron_jid, label, note)
    await desk.advance(chat_id)
    return label


def _reachable_operator(desk: Desk, jid: str) -> bool:
    if jid in desk.directory.operators:
        return True
    rooms = {coop.room for coop in desk.directory.coops.values()}
    return any(room in rooms for room in desk.monitoring.rooms_of(jid))


def _department_room(desk: Desk, name: str) -> str | None:
    wanted = name.casefold()
    return next((room for room, department in desk.directory.departments.items()
                 if department.casefold() == wanted or room == name), None)


def _coop(desk: Desk, name: str) -> CoopInfo | None:
    wanted = name.casefold()
    return next((coop for coop in desk.directory.coops.values()
                 if wanted in (coop.id.casefold(), coop.name.casefold())), None)
