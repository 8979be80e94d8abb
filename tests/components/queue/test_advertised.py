"""What a librarian's client finds at the queue: its ad-hoc commands are listed (slixmpp's
plugin empties the list at every session bind, so the queue lists them again), and the
transfer form's choices are names the transfer understands."""

from __future__ import annotations

from tests.components.queue.harness import QueueHarness
from tests.components.queue.wire import ADA

DISCO_ITEMS = "http://jabber.org/protocol/disco#items"
COMMANDS = "http://jabber.org/protocol/commands"


def test_the_queue_lists_its_commands_once_connected(queue: QueueHarness) -> None:
    queue.recv(f"<iq type='get' id='c1' from='{ADA}' to='queue.alpha.test'>"
               f"<query xmlns='{DISCO_ITEMS}' node='{COMMANDS}'/></iq>")

    listed = queue.sent()

    items = listed.xml.findall(f"{{{DISCO_ITEMS}}}query/{{{DISCO_ITEMS}}}item")
    assert {(item.get("node"), item.get("name")) for item in items} == {
        ("queue", "Waiting chats"), ("monitoring", "Monitoring"), ("blocks", "Blocked patrons")}
