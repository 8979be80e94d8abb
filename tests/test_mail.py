"""Email through a real SMTP server on loopback: what arrives is what refdesk meant to send,
a bad address is refused before sending, and a relay that is away is a clear error."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from refdesk.errors import InvalidInput
from refdesk.lab.mailsink import MailDir, start
from refdesk.mail import Mail, Mailer, MailFailed
from refdesk.settings.mail import MailSettings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def sink(tmp_path: Path) -> AsyncIterator[tuple[MailDir, int]]:
    port = _free_port()
    maildir = MailDir(tmp_path / "mail")
    server = await start(maildir, "127.0.0.1", port)
    yield maildir, port
    server.close()
    await server.wait_closed()


def _mailer(port: int) -> Mailer:
    return Mailer(MailSettings(host="127.0.0.1", port=port, security="none",
                               sender="ask@alpha.example"))


async def test_a_mail_arrives_with_its_headers_and_body(sink: tuple[MailDir, int]) -> None:
    maildir, port = sink
    await _mailer(port).send(Mail("pat@example.org", "Your question to Alpha",
                                  "Here is the answer.\nWith two lines.",
                                  reply_to="desk@alpha.example"))
    [message] = maildir.messages()
    assert message["From"] == "ask@alpha.example"
    assert message["To"] == "pat@example.org"
    assert message["Subject"] == "Your question to Alpha"
    assert message["Reply-To"] == "desk@alpha.example"
    assert message["Message-ID"].endswith("@alpha.example>")
    assert message.get_content() == "Here is the answer.\nWith two lines.\n"


@pytest.mark.parametrize("address", ["", "pat", "pat@", "@example.org", "pat@localhost",
                                     "a@b.org, c@d.org", "pat@example.org\r\nBcc: x@y.org",
                                     "root@[127.0.0.1]", '"victim@t.org"@relay.example.org',
                                     "victim%t.org@relay.example.org",
                                     "a" * 320 + "@example.org"])
async def test_a_bad_address_is_refused_before_anything_is_sent(
        sink: tuple[MailDir, int], address: str) -> None:
    maildir, port = sink
    with pytest.raises(InvalidInput, match="not an email address"):
        await _mailer(port).send(Mail(address, "Hello", "Body"))
    assert maildir.messages() == []


async def test_an_unreachable_relay_is_a_clear_error() -> None:
    with pytest.raises(MailFailed, match="mail server could not be reached"):
        await _mailer(_free_port()).send(Mail("pat@example.org", "Hello", "Body"))


def test_the_sender_must_be_an_address() -> None:
    with pytest.raises(ValueError, match="must be an email address"):
        MailSettings(sender="not an address")
