"""Tells each co-op on a chat's route that it finished, content-free (urn:refdesk:activity:0):
the co-op's registry counts requests, claims and who answered for the co-op's statistics and
its members' Contribution Percentage. A chat answered at home before the co-op's turn is told
too (offered false): the Contribution Percentage counts every chat a member's patrons ask. The
chat and its transcript stay here."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable

from slixmpp import JID, ComponentXMPP
from slixmpp.exceptions import IqError, IqTimeout

from components.coop import summary
from components.errors import error_condition
from components.queue.plan import Plan
from refdesk.db.models import TargetKind
from refdesk.db.stores.activity import Summary
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import Directory, WidgetInfo

log = logging.getLogger(__name__)

SEND_TIMEOUT_S = 10.0
RETRY_AFTER_S = (5.0, 30.0, 120.0, 600.0, 1800.0)
"""A registry that is away (its server restarting, s2s down) is asked again this much later."""
AWAY = frozenset({"remote-server-not-found", "remote-server-timeout", "service-unavailable",
                  "recipient-unavailable"})
"""Errors that say the registry could not be reached, not that it refused."""


def coops_of(chat: ChatRecord, widget: WidgetInfo | None = None) -> dict[str, bool]:
    """The co-ops on the chat's route or offered it (after a transfer), in order, each with
    whether it was offered the chat; for a question left while nobody was online, which has
    no route, those of its widget's routing list, none offered it."""
    if not chat.routing:
        steps = widget.routing if widget is not None else ()
        return {step.ref: False for step in steps if step.kind == TargetKind.COOP}
    plan = Plan.from_json(chat.routing)
    offered = {offer.coop for offer in plan.offers if offer.coop}
    routed = [target.ref for target in plan.route.targets if target.is_coop]
    return {coop: coop in offered
            for coop in dict.fromkeys([*routed, *(o.coop for o in plan.offers if o.coop)])}


def summary_of(chat: ChatRecord, coop: str, home: str, offered: bool = True) -> Summary | None:
    if chat.ended_at is None:
        return None
    return Summary(coop, home, chat.id, chat.widget_id, chat.created_at, chat.ended_at,
                   chat.claimed_at, chat.claimed_by, chat.claimed_institution, chat.rating,
                   offered, chat.origin)


class Summaries:
    def __init__(self, xmpp: ComponentXMPP, directory: Callable[[], Directory]) -> None:
        self.xmpp = xmpp
        self._directory = directory
        self._sending: dict[tuple[str, str, str], asyncio.Task[None]] = {}
        """(registry, co-op, chat id) -> the latest delivery: a chat's reports go in turn, so
        that a rating never arrives before, and is then overwritten by, the ending."""
        summary.register()

    def close(self) -> None:
        for sending in self._sending.values():
            sending.cancel()

    def chat_finished(self, chat: ChatRecord) -> None:
        """Send the chat's summary to the registry of every co-op on its route."""
        directory = self._directory()
        for coop_id, offered in coops_of(chat, directory.widgets.get(chat.widget_id)).items():
            coop = directory.coops.get(coop_id)
            report = summary_of(chat, coop_id, directory.domain, offered)
            if coop is None or report is None:
                continue
            registry = f"coop.{coop.host}"
            key = (registry, coop_id, chat.id)
            task = asyncio.ensure_future(self._deliver(registry, report, self._sending.get(key)))
            self._sending[key] = task
            task.add_done_callback(functools.partial(self._forget, key))

    def _forget(self, key: tuple[str, str, str], done: asyncio.Task[None]) -> None:
        if self._sending.get(key) is done:
            del self._sending[key]

    async def _deliver(self, registry: str, report: Summary,
                       after: asyncio.Task[None] | None) -> None:
        if after is not None:
            await asyncio.wait([after])
        for delay in (0.0, *RETRY_AFTER_S):
            await asyncio.sleep(delay)
            try:
                await self._send(registry, report)
                return
            except IqError as error:
                condition = error_condition(error.iq)
                if condition not in AWAY:
                    log.warning("%s refused the summary of chat %s: %s", registry,
                                report.chat_id, error.text or condition)
                    return
                log.info("%s unreachable for the summary of chat %s: %s", registry,
                         report.chat_id, condition)
            except IqTimeout:
                log.info("%s did not answer the summary of chat %s", registry, report.chat_id)
        log.warning("gave up sending %s the summary of chat %s", registry, report.chat_id)

    async def _send(self, registry: str, report: Summary) -> None:
        iq = self.xmpp.make_iq_set(ito=JID(registry), ifrom=self.xmpp.boundjid)
        summary.write(iq["refdesk_summary"], report)
        await iq.send(timeout=SEND_TIMEOUT_S)
