"""The co-op registry component of a co-op's host."""

from __future__ import annotations

import logging

from slixmpp.xmlstream import ET

from components.base import RefdeskComponent
from components.staffrooms import keep_staff_room
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.coops import CoopStore, HostedCoop

log = logging.getLogger(__name__)

NS = "urn:refdesk:coop:0"
MUC = "http://jabber.org/protocol/muc"


class CoopComponent(RefdeskComponent):
    """The registry of the co-ops this domain hosts: their rooms and dedicated staff."""

    name = "coop"
    description = "co-op registry"
    features = (NS,)

    def register_handlers(self) -> None:
        self.add_event_handler("session_start", self.on_session_start)

    async def on_session_start(self, _: object) -> None:
        engine = create_engine(self.settings.database.url)
        try:
            coops = await CoopStore(create_sessionmaker(engine)).hosted_by(
                self.settings.library.domain)
        finally:
            await engine.dispose()
        disco = self.plugin["xep_0030"]
        for coop in coops:
            self._open_room(coop.room, coop.name)
            # The queues of member libraries ask for the staff at the 24/7 fallback step.
            disco.del_items(jid=self.boundjid, node=f"staff/{coop.id}")
            for jid in coop.staff:
                # slixmpp's naming: jid is the item, ijid the JID whose node holds it.
                disco.add_item(jid=jid, node=f"staff/{coop.id}", ijid=self.boundjid)
            members = room_members(coop) - {f"queue.{self.settings.library.domain}"}
            await keep_staff_room(self, coop.room, coop.name, members)
        log.info("hosting %s", ", ".join(coop.id for coop in coops) or "no co-op")

    def _open_room(self, room: str, name: str) -> None:
        """Enter the co-op's room, creating it (members-only from the start) if need be."""
        presence = self.make_presence(pto=f"{room}/{name}", pfrom=f"{self.boundjid.bare}/registry")
        ET.SubElement(presence.xml, f"{{{MUC}}}x")
        presence.send()


def room_members(coop: HostedCoop) -> set[str]:
    """Who may be in a co-op's room: the users given access to it, and each member library's
    queue, which posts the offers there and watches who is monitoring. (The host's own
    components own every room of its MUC service already.)"""
    return {*coop.users, *(f"queue.{domain}" for domain in coop.members)}
