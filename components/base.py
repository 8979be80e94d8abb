"""What every refdesk component shares: its JID, its XEP plugins and its disco identity."""

from __future__ import annotations

import logging
from typing import ClassVar

from slixmpp import ComponentXMPP

from components.outgoing import held_back
from refdesk.settings import Settings

log = logging.getLogger(__name__)

# XEP-0030 disco, XEP-0050 ad-hoc commands, XEP-0199 ping: every component answers these.
COMMON_PLUGINS = ("xep_0030", "xep_0050", "xep_0199")


class RefdeskComponent(ComponentXMPP):
    """A XEP-0114 component of one library's refdesk, at `<name>.<library domain>`."""

    name: ClassVar[str]
    """Subdomain label and the key under `components.enabled` in the settings."""
    description: ClassVar[str]
    """Human name of the service, shown in service discovery after the library's name."""
    features: ClassVar[tuple[str, ...]] = ()
    """Namespaces this component implements, beyond the common plugins'."""
    plugins: ClassVar[tuple[str, ...]] = ()
    """XEP plugins this component needs beyond COMMON_PLUGINS."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            settings.component_jid(self.name), settings.components.secret.get_secret_value(),
            settings.server.address, settings.server.component_port,
        )
        self.settings = settings
        library_name = settings.library.name
        for plugin in (*COMMON_PLUGINS, *self.plugins):
            self.register_plugin(plugin)
        disco = self.plugin["xep_0030"]
        disco.add_identity("component", "generic", f"{library_name}: {self.description}")
        for feature in self.features:
            disco.add_feature(feature)
        self.register_handlers()

    def register_handlers(self) -> None:
        """Attach this component's stanza and event handlers; the skeleton has none."""

    def send_raw(self, data: str | bytes) -> None:
        """Every stanza the component writes, held back if the server would close the
        stream on it (components/outgoing.py)."""
        raw = data.encode() if isinstance(data, str) else data
        instead = held_back(raw)
        if instead is None:
            super().send_raw(raw)
        elif instead:
            super().send_raw(instead)

    async def until_set_up(self) -> None:
        """Return once the component, connected, has done what it does before it serves
        (joined and configured its rooms, say); the skeleton has nothing to do."""

    def close(self) -> None:
        """Detach what register_handlers attached."""
