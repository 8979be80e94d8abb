"""The lab's mail: a real SMTP server on loopback (aiosmtpd) that keeps every message it is
handed as a file, <dir>/<n>.eml, so that the demo's and the tests' email can be read.

`python -m refdesk.lab.mailsink --address 127.0.0.2 --port 8025 --dir <lab>/mail`
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import signal
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger(__name__)

PORT = 8025


class MailDir:
    """Messages as files, numbered in the order they arrived."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._numbers = itertools.count(len(list(directory.glob("*.eml"))) + 1)

    async def handle_DATA(self, server: SMTP, session: Session,
                          envelope: Envelope) -> str:
        content = envelope.original_content or b""
        path = self.directory / f"{next(self._numbers):05d}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(content)
        os.replace(partial, path)  # a reader never sees half a message
        log.info("kept a message for %s as %s", ", ".join(envelope.rcpt_tos), path.name)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return read_messages(self.directory)


def read_messages(directory: Path) -> list[EmailMessage]:
    """Every message kept in directory, oldest first."""
    return [_parsed(path.read_bytes()) for path in sorted(directory.glob("*.eml"))]


def _parsed(raw: bytes) -> EmailMessage:
    # SMTP carries CRLF line ends; read as a local file is.
    message = message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def start(maildir: MailDir, address: str, port: int) -> asyncio.Server:
    """Listen for SMTP on address:port; each message goes to maildir."""
    loop = asyncio.get_running_loop()

    def protocol() -> Any:
        return SMTP(maildir, hostname="mail.lab.test")

    return await loop.create_server(protocol, address, port)


async def _serve(directory: Path, address: str, port: int, ready: Path | None) -> None:
    server = await start(MailDir(directory), address, port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    if ready is not None:
        ready.write_text(f"{address}:{port}\n")
    await stop.wait()
    server.close()
    await server.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(description="The lab's SMTP sink.")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--ready-file", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    asyncio.run(_serve(args.dir, args.address, args.port, args.ready_file))


if __name__ == "__main__":
    main()
