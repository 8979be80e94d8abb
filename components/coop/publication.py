"""Each hosted co-op as a pubsub node (XEP-0060 semantics) of the registry component itself.

Node: the co-op's id; one item, `current`, the whole co-op (components.coop.wire). It names
librarians, so only the queues, archives and faq components of the co-op's member libraries
and the host's queue read it or subscribe to it (an archive decides from it who may read a
transcript, a faq component who may read the 24/7 Staffing FAQs);
anyone else (a patron, a librarian's own client, an outsider) is refused. Subscribers get
each new version pushed in a pubsub#event message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slixmpp import JID, ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.coop.wire import ITEM_ID, PUBSUB, PUBSUB_EVENT, coop_element
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import InvalidInput, NotFound, NotPermitted, RefdeskError

log = logging.getLogger(__name__)


class Unsupported(RefdeskError):
    condition = "feature-not-implemented"
    etype = "cancel"


FOLLOWERS = ("queue", "archive", "faq")
"""The components of a member library that follow its co-ops (the faq component to know
who is co-op staff)."""


def readers(coop: CoopRecord) -> frozenset[str]:
    """Who may read a co-op's node: its member libraries' followers, and its host's queue."""
    return frozenset({f"{component}.{m.domain}" for m in coop.members
                      for component in FOLLOWERS} | {f"queue.{coop.host}"})


class Publication:
    def __init__(self, xmpp: ComponentXMPP) -> None:
        self._xmpp = xmpp
        self.coops: dict[str, CoopRecord] = {}
        """Co-op id -> the version last published."""
        self._subscribers: dict[str, set[str]] = {}
        """Co-op id -> bare JIDs subscribed to its node."""
        self.standing: Callable[[CoopRecord], CoopRecord] = lambda coop: coop
        """Adds what the registry reckons rather than stores: members' fairness standing."""

    def publish(self, coop: CoopRecord) -> bool:
        """Make `coop` the current item and push it; False if nothing changed. A subscriber
        that may no longer read the node (its library left) is dropped, not told."""
        coop = self.standing(coop)
        if self.coops.get(coop.id) == coop:
            return False
        self.coops[coop.id] = coop
        # Every member library's followers count as subscribed until it
        # unsubscribes: a registry that restarted, and so forgot who subscribed, tells them
        # all at once.
        members = {f"{component}.{member.domain}" for member in coop.members
                   for component in FOLLOWERS}
        subscribers = self._subscribers.setdefault(coop.id, members)
        subscribers &= readers(coop)
        for subscriber in sorted(subscribers):
            self._push(coop, subscriber)
        return True

    def answer(self, iq: Iq) -> Iq:
        """The reply to a pubsub get or set; a RefdeskError when it is refused."""
        request = iq.xml.find(f"{{{PUBSUB}}}pubsub")
        action = next(iter(request), None) if request is not None else None
        if action is None:
            raise InvalidInput("An empty pubsub request.")
        kind, node = action.tag.split("}")[-1], action.get("node", "")
        if (iq["type"], kind) == ("get", "items"):
            return self._items(iq, self._readable(node, iq["from"]))
        if (iq["type"], kind) in (("set", "subscribe"), ("set", "unsubscribe")):
            coop = self._readable(node, iq["from"])
            if JID(action.get("jid", "")).bare != iq["from"].bare:
                raise InvalidInput("Subscribe your own address (the jid attribute).")
            return self._subscription(iq, coop, kind == "subscribe")
        raise Unsupported(f"This registry does not do pubsub {kind} ({iq['type']}).")

    def _readable(self, node: str, asker: JID) -> CoopRecord:
        coop = self.coops.get(node)
        if coop is None:
            raise NotFound(f"There is no co-op {node!r} at this registry.")
        if asker.bare not in readers(coop):
            raise NotPermitted(f"Only the queues of {coop.name}'s member libraries may read "
                               "who belongs to it.")
        return coop

    def _items(self, iq: Iq, coop: CoopRecord) -> Iq:
        reply: Iq = iq.reply(clear=True)
        pubsub = ET.SubElement(reply.xml, f"{{{PUBSUB}}}pubsub")
        items = ET.SubElement(pubsub, f"{{{PUBSUB}}}items", {"node": coop.id})
        ET.SubElement(items, f"{{{PUBSUB}}}item", {"id": ITEM_ID}).append(coop_element(coop))
        return reply

    def _subscription(self, iq: Iq, coop: CoopRecord, subscribe: bool) -> Iq:
        subscriber = iq["from"].bare
        subscribers = self._subscribers.setdefault(coop.id, set())
        reply: Iq = iq.reply(clear=True)
        if not subscribe:
            subscribers.discard(subscriber)
            return reply
        subscribers.add(subscriber)
        pubsub = ET.SubElement(reply.xml, f"{{{PUBSUB}}}pubsub")
        ET.SubElement(pubsub, f"{{{PUBSUB}}}subscription", {
            "node": coop.id, "jid": subscriber, "subscription": "subscribed"})
        return reply

    def _push(self, coop: CoopRecord, subscriber: str) -> None:
        message = self._xmpp.make_message(subscriber, mfrom=self._xmpp.boundjid.bare)
        event = ET.SubElement(message.xml, f"{{{PUBSUB_EVENT}}}event")
        items = ET.SubElement(event, f"{{{PUBSUB_EVENT}}}items", {"node": coop.id})
        ET.SubElement(items, f"{{{PUBSUB_EVENT}}}item", {"id": ITEM_ID}).append(
            coop_element(coop))
        message.send()
