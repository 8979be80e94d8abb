"""The co-op registry component of a co-op's host."""

from __future__ import annotations

import logging
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import XMPPError
from slixmpp.plugins.xep_0030.stanza.items import DiscoItems
from slixmpp.xmlstream import ET

from components.base import RefdeskComponent
from components.coop import commands, summary
from components.coop.activity import Activity
from components.staffrooms import keep_staff_room
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore
from refdesk.db.stores.coops import CoopStore, HostedCoop
from refdesk.db.stores.registry import RegistryStore

log = logging.getLogger(__name__)

NS = "urn:refdesk:coop:0"
MUC = "http://jabber.org/protocol/muc"


class CoopComponent(RefdeskComponent):
    """The registry of the co-ops this domain hosts: their rooms and dedicated staff."""

    name = "coop"
    description = "co-op registry"
    features = (NS, summary.NS)

    def register_handlers(self) -> None:
        self._staff: dict[str, tuple[str, ...]] = {}
        """Co-op id -> its dedicated staff's JIDs."""
        self._member_queues: dict[str, frozenset[str]] = {}
        """Co-op id -> the queues of its member libraries, who alone may ask for its staff."""
        self.plugin["xep_0030"].api.register(self._get_items, "get_items")
        self.add_event_handler("session_start", self.on_session_start)
        self.engine = create_engine(self.settings.database.url)
        sessions = create_sessionmaker(self.engine)
        registry = RegistryStore(sessions)
        self.activity = Activity(ActivityStore(sessions),
                                 lambda: registry.hosted(self.settings.library.domain))
        self.activity.register(self)
        commands.attach(self, registry, self.settings.library.domain)

    def close(self) -> None:
        self.activity.close()

    def _get_items(self, jid: JID | None, node: str | None, ifrom: JID | None,
                   data: Any) -> DiscoItems:
        """A co-op's staff (node staff/<co-op>) are librarians' addresses: listed only to
        its member libraries' queues, never to a patron or anyone else who asks."""
        coop_id = (node or "").removeprefix("staff/")
        if not node or coop_id == node:
            return self.plugin["xep_0030"].static.get_items(jid, node, ifrom, data) \
                or DiscoItems()
        if ifrom is None or ifrom.bare not in self._member_queues.get(coop_id, frozenset()):
            raise XMPPError("forbidden", "Only the co-op's member libraries' queues may ask.")
        items = DiscoItems()
        for staff in self._staff.get(coop_id, ()):
            items.add_item(JID(staff))
        return items

    async def on_session_start(self, _: object) -> None:
        await self.activity.restart()
        engine = create_engine(self.settings.database.url)
        try:
            coops = await CoopStore(create_sessionmaker(engine)).hosted_by(
                self.settings.library.domain)
        finally:
            await engine.dispose()
        for coop in coops:
            self._open_room(coop.room, coop.name)
            # The queues of member libraries ask for the staff at the 24/7 fallback step.
            self._staff[coop.id] = coop.staff
            self._member_queues[coop.id] = frozenset(f"queue.{d}" for d in coop.members)
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
