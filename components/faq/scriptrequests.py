"""The scripts requests of urn:refdesk:faq:0: scripts (get) lists the library's scripted
messages to staff of its co-ops; script (set) creates or replaces one and delete-script
(set) removes one, for its local admins. Anyone else is answered as if there were none."""

from __future__ import annotations

from datetime import UTC

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.errors import xmpp_errors
from components.faq.scriptaccess import Scripts
from components.faq.stanzas import NS, route
from components.iqroutes import register_iq_routes
from refdesk.db.stores.scripts import ScriptRecord


def script_element(script: ScriptRecord) -> ET.Element:
    updated = script.updated.astimezone(UTC).isoformat().replace("+00:00", "Z")
    made = ET.Element(f"{{{NS}}}script", {"name": script.name, "updated": updated})
    made.text = script.text
    return made


class ScriptRequests:
    def __init__(self, xmpp: ComponentXMPP, scripts: Scripts) -> None:
        self.xmpp, self.scripts = xmpp, scripts

    def register(self) -> None:
        register_iq_routes(self.xmpp, {
            route("get", "scripts"): self._handle_scripts,
            route("set", "script"): self._handle_script,
            route("set", "delete-script"): self._handle_delete_script,
        })

    @xmpp_errors
    async def _handle_scripts(self, iq: Iq) -> None:
        asker = await self.scripts.reader(iq["from"].bare)
        listing = ET.Element(f"{{{NS}}}scripts")
        for script in await self.scripts.store.list(asker.directory.institution_id):
            listing.append(script_element(script))
        _reply(iq, listing)

    @xmpp_errors
    async def _handle_script(self, iq: Iq) -> None:
        request = _payload(iq, "script")
        asker = await self.scripts.editor(iq["from"].bare)
        saved = await self.scripts.store.save(asker.directory.institution_id,
                                              request.get("name", ""), request.text or "",
                                              asker.jid)
        _reply(iq, script_element(saved))

    @xmpp_errors
    async def _handle_delete_script(self, iq: Iq) -> None:
        name = _payload(iq, "delete-script").get("name", "")
        asker = await self.scripts.editor(iq["from"].bare)
        await self.scripts.store.delete(asker.directory.institution_id, name)
        _reply(iq)


def _payload(iq: Iq, name: str) -> ET.Element:
    element = iq.xml.find(f"{{{NS}}}{name}")
    assert element is not None  # the route matched on it
    return element


def _reply(iq: Iq, payload: ET.Element | None = None) -> None:
    reply = iq.reply(clear=True)
    if payload is not None:
        reply.xml.append(payload)
    reply.send()
