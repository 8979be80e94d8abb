"""Referring a question to another member library: who may refer to whom (they share a
co-op, as the co-ops' registries say), and the iq that carries it archive to archive."""

from __future__ import annotations

from collections.abc import Mapping

from slixmpp import JID, ComponentXMPP, Iq
from slixmpp.exceptions import IqError, IqTimeout

from components.archive.ticketwire import element, ticket_number
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.tickets import TicketRecord
from refdesk.errors import InvalidInput, Unavailable

TIMEOUT_S = 15.0
NOT_A_PARTNER = ("{to} is not a member library of a co-op {library} belongs to; refer to an "
                 "email address instead.")


def shares_coop(coops: Mapping[str, CoopRecord], home: str, other: str) -> bool:
    """Whether both libraries are members of one co-op this library follows."""
    return other != home and any(
        coop.member(home) is not None and coop.member(other) is not None
        for coop in coops.values())


def referring_library(coops: Mapping[str, CoopRecord], home: str, sender: JID) -> str | None:
    """The member library whose archive sent a referral, or None for anyone else (a
    patron, a librarian, another component, a library we share no co-op with)."""
    if sender.user or sender.resource or not sender.domain.startswith("archive."):
        return None
    library = sender.domain.removeprefix("archive.")
    return library if shares_coop(coops, home, library) else None


async def send_referral(xmpp: ComponentXMPP, library_name: str, to: str,
                        ticket: TicketRecord, note: str | None) -> int:
    """Hand the question to the archive of `to`; the ticket number it filed it as."""
    iq = xmpp.make_iq_set(ito=f"archive.{to}", ifrom=xmpp.boundjid.bare)
    referral = element("referral", {"library-name": library_name})
    for name, text in (("question", ticket.question), ("name", ticket.patron_name),
                       ("email", ticket.patron_email), ("note", note)):
        if text:
            referral.append(element(name, text=text))
    iq.append(referral)
    try:
        result: Iq = await iq.send(timeout=TIMEOUT_S)
    except (IqError, IqTimeout) as error:
        why = "did not answer" if isinstance(error, IqTimeout) else "refused it"
        raise Unavailable(f"{to} {why}; the ticket stays open here.") from error
    try:
        return ticket_number(result["archive_referral"]["ticket"])
    except InvalidInput as error:
        raise Unavailable(f"{to} gave no ticket number; the ticket stays open here.") \
            from error
