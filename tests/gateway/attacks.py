"""Hostile XML documents, shared by the parser's unit tests and the gateway's integration tests."""

from __future__ import annotations

import os
import threading
from pathlib import Path

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
               for i in range(1, 10))
    + b']><message xmlns="jabber:client"><body>&lol9;</body></message>'
)
EXTERNAL_ENTITY = (b'<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b'<message xmlns="jabber:client"><body>&xxe;</body></message>')


def external_parameter_entity(path: str) -> bytes:
    """A DOCTYPE whose parameter entity makes a careless parser open `path`."""
    return (f'<!DOCTYPE m [<!ENTITY % p SYSTEM "file://{path}"> %p;]>'
            '<message xmlns="jabber:client"><body>hi</body></message>').encode()


def utf16_with_bom(document: bytes) -> bytes:
    """The document re-encoded as UTF-16 with a byte-order mark: no `<!` byte pair left."""
    return document.decode().encode("utf-16")


def utf16_declared(document: bytes) -> bytes:
    """An ASCII declaration of UTF-16, then the document as UTF-16LE: no BOM, and every byte
    is still valid UTF-8 (ASCII and NULs), so it fits in a WebSocket text frame."""
    return b"<?xml version='1.0' encoding='UTF-16'?>" + document.decode().encode("utf-16-le")


class FileCanary:
    """A FIFO that notices being opened: a writer waits on it, released when a reader comes.

    Opening a FIFO blocks until both ends are open, so the writer learns exactly whether
    anything (the gateway's XML parser, in these tests) opened the path for reading.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / "canary"
        os.mkfifo(self.path)
        self.opened = threading.Event()
        self._done = False
        self._writer = threading.Thread(target=self._wait_for_a_reader, daemon=True)
        self._writer.start()

    def _wait_for_a_reader(self) -> None:
        descriptor = os.open(self.path, os.O_WRONLY)
        if not self._done:
            self.opened.set()
            os.write(descriptor, b'<!ENTITY leaked "yes">')
        os.close(descriptor)

    def close(self) -> None:
        """Release the writer if nobody opened the FIFO."""
        self._done = True
        if not self.opened.is_set():
            reader = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            self._writer.join(timeout=5)
            os.close(reader)
