"""`refdesk lab up` names the port it cannot have and what would free it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from refdesk.lab.up import _busy


@pytest.fixture
def wildcard_listener() -> Iterator[int]:
    """A server on 0.0.0.0, as a system-wide Prosody listens: its port."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("0.0.0.0", 0))
        server.listen()
        yield server.getsockname()[1]


def test_lab_blocked_by_a_server_on_every_address_says_to_stop_that_server(
        wildcard_listener: int) -> None:
    message = _busy("127.0.21.2", wildcard_listener)

    assert f"port {wildcard_listener} is held on every address" in message
    assert f"0.0.0.0:{wildcard_listener}" in message and "stop that server" in message
    assert "--base-address" not in message  # another address would not help


def test_lab_blocked_on_its_own_address_only_says_to_choose_another() -> None:
    with socket.socket() as other_lab:
        other_lab.bind(("127.0.21.2", 0))
        other_lab.listen()
        port = other_lab.getsockname()[1]

        message = _busy("127.0.21.2", port)

    assert message.startswith(f"127.0.21.2 port {port} is already in use")
    assert "--base-address" in message
