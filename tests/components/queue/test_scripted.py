"""Which script an operator's message asks the queue to send: <send-script/> (the console)
or `!script <name>` typed in any client, slips of the fingers included; anything else is a
line for the patron."""

from __future__ import annotations

import pytest
from slixmpp import Message
from slixmpp.xmlstream import ET

from components.queue.scripted import FAQ_NS, Wanted, wanted


def message(body: str = "", script: str | None = None) -> Message:
    made = Message()
    if body:
        made["body"] = body
    if script is not None:
        made.xml.append(ET.Element(f"{{{FAQ_NS}}}send-script", {"name": script}))
    return made


@pytest.mark.parametrize(("body", "expected"), [
    ("!script homework", Wanted("homework", typed=True)),
    ("!SCRIPT Homework", Wanted("Homework", typed=True)),  # the store lower-cases names
    ("! script homework", Wanted("homework", typed=True)),
    ("/script homework", Wanted("homework", typed=True)),
    ("!script homework and more words", Wanted("homework", typed=True)),
    ("!script", Wanted("", typed=True)),
    ("!scripts", None),  # faq.<library>'s listing, not a chat command
    ("script homework", None),
    ("Our scripts say !script homework", None),
    ("!note !script homework", None),
])
def test_typed(body: str, expected: Wanted | None) -> None:
    assert wanted(message(body)) == expected


def test_the_console_names_the_script_and_its_body_is_not_what_is_sent() -> None:
    assert wanted(message("whatever the console showed", "reserves")) == Wanted(
        "reserves", typed=False)
    assert wanted(message("", "")) == Wanted("", typed=False)
