"""Widget status pushed to whoever watches it: the gateway, a widget's page, a dashboard.

A watcher sends available presence to widget-<id>@queue.<library> and gets a message with
<status widget='…' online='…'/> at once and again whenever the widget goes online or
offline; unavailable presence stops it.
"""

from __future__ import annotations

from collections.abc import Callable

from slixmpp import JID, ComponentXMPP

from refdesk.errors import NotFound

PREFIX = "widget-"


def widget_of(jid: JID) -> str | None:
    """The widget id of a widget-<id>@queue.<library> JID."""
    return str(jid.user[len(PREFIX):]) if jid.user.startswith(PREFIX) else None


class WidgetStatus:
    def __init__(self, xmpp: ComponentXMPP, domain: str,
                 online: Callable[[str], bool]) -> None:
        self._xmpp, self._domain, self._online = xmpp, domain, online
        self._watchers: dict[str, set[str]] = {}
        self._last: dict[str, bool] = {}

    def watch(self, widget: str, watcher: str) -> None:
        online = self._online(widget)  # refuses an unknown widget before anything is kept
        self._watchers.setdefault(widget, set()).add(watcher)
        self._last[widget] = online
        self._push(widget, online, {watcher})

    def unwatch(self, widget: str, watcher: str) -> None:
        self._watchers.get(widget, set()).discard(watcher)

    def monitoring_changed(self) -> None:
        """Push every watched widget whose status changed."""
        for widget, watchers in self._watchers.items():
            try:
                online = self._online(widget)
            except NotFound:  # the widget was removed: offline to whoever still watches
                online = False
            if watchers and online != self._last.get(widget):
                self._last[widget] = online
                self._push(widget, online, watchers)

    def _push(self, widget: str, online: bool, watchers: set[str]) -> None:
        state = "online" if online else "offline"
        for watcher in watchers:
            message = self._xmpp.make_message(
                watcher, f"{widget} is {state}.", mtype="headline",
                mfrom=f"{PREFIX}{widget}@queue.{self._domain}")
            message["refdesk_status"]["widget"] = widget
            message["refdesk_status"]["online"] = "true" if online else "false"
            message.send()
