"""Handing a claimed chat on: to an online operator or department of the patron's library, to
an online operator of a co-op, or to another co-op the patron's library belongs to.

A transfer puts the chat back in the queue, offered to that one target only, saying it is a
transfer, from whom, with the note for staff; whoever there claims it first gets the
conversation so far, and the librarian who handed it on is told who took it. The patron is
told where they are going by name (a librarian's nickname and library, never an address).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from slixmpp import JID

from components.queue.desk import Desk
from components.queue.plan import Offer, Plan
from components.queue.routing import Route, Target
from refdesk.db.models import EndedBy, Sender
from refdesk.errors import InvalidInput, NotPermitted, Unavailable

MAX_NOTE_CHARS = 1000


@dataclass(frozen=True)
class Destination:
    target: Target
    staff_label: str
    """How staff see it: a department, a co-op, or an operator's name and JID."""
    patron_label: str
    """How the patron sees it: never an address."""


@dataclass(frozen=True)
class TransferNotes:
    staff: str | None = None
    """Travels with the offer, for the receiving librarian only."""
    patron: str | None = None
    """Shown to the patron with the notice that they are being transferred."""


async def transfer(desk: Desk, chat_id: str, operator: str, wanted: str,
                   notes: TransferNotes) -> str:
    """Transfer the chat; how staff call where it went."""
    chat = await desk.get(chat_id)
    if desk.party(chat, operator) != EndedBy.OPERATOR:
        raise NotPermitted("Only the librarian who claimed this chat can transfer it.")
    for note in (notes.staff, notes.patron):
        if note and len(note) > MAX_NOTE_CHARS:
            raise InvalidInput(f"A note is at most {MAX_NOTE_CHARS} characters.")
    destination = resolve(desk, wanted, operator)
    institution = desk.directory.institution_name(chat.claimed_institution or "")
    by = f"{chat.claimed_nick} ({institution})"
    handover = f"Transferred by {by}" + (f": {notes.staff}" if notes.staff else "")
    route = Route((destination.target,), fallback_s=0, staff_delay_s=desk.staff_delay_s)
    # The librarian handing on is in the plan's offers, so the claim tells them who took it.
    plan = Plan(route, route.start(time.time()), (Offer(operator, room=False),),
                transfer=handover)
    await desk.store.release(chat_id, plan.to_json())
    await desk.store.append(chat_id, Sender.SYSTEM,
                            f"{handover} → {destination.staff_label}"
                            + (f" (for the patron: {notes.patron})" if notes.patron else ""))
    desk.outbox.transferred(desk.chat_jid(chat_id), chat.patron_jid,
                            destination.patron_label, notes.patron)
    await desk.advance(chat_id)
    desk.waits_again(chat_id)
    return destination.staff_label


def resolve(desk: Desk, wanted: str, operator: str) -> Destination:
    """The online destination `operator` named; InvalidInput listing the choices."""
    name = wanted.strip()
    destination = named(desk, name)
    if destination is None:
        raise InvalidInput(f"No operator, department or co-op called {name!r}. "
                           + online_summary(desk, operator))
    if not desk.monitored(destination.target):
        raise Unavailable(f"{destination.staff_label} is not online right now. "
                          + online_summary(desk, operator))
    return destination


def split_destination(desk: Desk, text: str) -> tuple[str, str]:
    """Split "Adult Services please help" into the longest leading destination name and the
    rest, so that names with spaces need no quoting; ("", text) when nothing matches."""
    words = text.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if named(desk, candidate) is not None:
            return candidate, " ".join(words[end:])
    return (words[0], " ".join(words[1:])) if words else ("", "")


def online_destinations(desk: Desk, operator: str) -> list[Destination]:
    """Everything `operator` can transfer a chat of this library to right now (not to
    themselves)."""
    directory = desk.directory
    candidates = [named(desk, name) for name in (
        *directory.departments.values(), *(c.name for c in directory.coops.values()),
        *directory.operators, *_coop_operators(desk))]
    return [d for d in dict.fromkeys(candidates)
            if d and d.target.ref != operator and desk.monitored(d.target)]


def named(desk: Desk, name: str) -> Destination | None:
    """The destination called `name`: a department or co-op by its name (or room JID, as
    the ad-hoc form offers them), or an operator by JID."""
    directory = desk.directory
    wanted = name.casefold()
    for room, department in directory.departments.items():
        if department.casefold() == wanted or room == name:
            label = f"{department} ({directory.name})"
            return Destination(Target("department", room), department, label)
    for coop in directory.coops.values():
        if wanted in (coop.id.casefold(), coop.name.casefold()) or coop.room == name:
            return Destination(Target("coop", coop.id, coop.is_global), coop.name, coop.name)
    if "@" in name and " " not in name:
        jid = JID(name).bare
        if not _reachable_operator(desk, jid):
            return None
        nick = desk.entitlement.nick(jid)
        library = directory.institution_name(JID(jid).domain)
        return Destination(Target("operator", jid), f"{nick} <{jid}>", f"{nick} ({library})")
    return None


def _reachable_operator(desk: Desk, jid: str) -> bool:
    if jid in desk.directory.operators:
        return True
    return jid in _coop_operators(desk)


def _coop_operators(desk: Desk) -> list[str]:
    """Operators of other libraries present in this library's co-op rooms."""
    rooms = {coop.room for coop in desk.directory.coops.values()}
    return sorted({o.jid for room in rooms for o in desk.monitoring.monitors(room)
                   if o.jid and o.jid not in desk.directory.operators})


def online_summary(desk: Desk, operator: str) -> str:
    online = [d.staff_label for d in online_destinations(desk, operator)]
    if not online:
        return "Nobody is online to transfer to right now."
    return "Online now: " + "; ".join(online) + "."
