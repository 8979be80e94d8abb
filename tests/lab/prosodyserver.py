"""A real Prosody started from a rendered configuration in a throwaway directory; what it
listens on as the kernel sees it, what answers there, and its options as Prosody reads them."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refdesk.lab import certs

PROSODY_OPTIONS = Path(__file__).with_name("prosody_options.lua")
START_TIMEOUT_S = 20.0
IO_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 10.0
MAX_REPLY_BYTES = 65536
TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls"
SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl"


@dataclass(frozen=True)
class ServerFiles:
    """A directory for one server: its CA, certificate, data, run and log directories."""

    root: Path
    ca: certs.CertPair
    cert: certs.CertPair

    @property
    def config(self) -> Path:
        return self.root / "prosody.cfg.lua"

    def client_tls(self) -> ssl.SSLContext:
        """Verifying TLS against this server's CA."""
        return ssl.create_default_context(cafile=str(self.ca.certificate))


@contextlib.contextmanager
def server_files(domain: str, subdomains: tuple[str, ...]) -> Iterator[ServerFiles]:
    root = Path(tempfile.mkdtemp(prefix="refdesk-prosody-"))
    try:
        ca = certs.make_ca(root / "ca")
        cert = certs.make_site_certificate(ca, root, domain, subdomains)
        for name in ("data", "run", "log"):
            (root / name).mkdir()
        yield ServerFiles(root, ca, cert)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class Account:
    """Whom Prosody runs as: Debian's service runs it as the prosody user, never as root."""

    uid: int
    gid: int


def _prosody_account(root: Path) -> Account | None:
    """The prosody user when the tests run as root, after handing root over to it; None
    (the current user) otherwise."""
    if os.getuid() != 0:
        return None
    try:
        user = pwd.getpwnam("prosody")
    except KeyError:
        raise RuntimeError(
            "no 'prosody' user: install Debian's prosody (scripts/bootstrap.sh)") from None
    for path in (root, *root.rglob("*")):
        os.chown(path, user.pw_uid, user.pw_gid)
    return Account(user.pw_uid, user.pw_gid)


def options(config: Path) -> dict[str, Any]:
    """Every option of config, per host ("*" is the global section), as Prosody reads it."""
    result = subprocess.run(["lua5.4", str(PROSODY_OPTIONS), str(config)], capture_output=True,
                            text=True, timeout=30, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"Prosody cannot read {config}: {result.stderr.strip()}")
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def check_config(files: ServerFiles) -> subprocess.CompletedProcess[str]:
    """`prosodyctl check config` on files.config."""
    account = _prosody_account(files.root)
    return subprocess.run(["prosodyctl", "--config", str(files.config), "check", "config"],
                          capture_output=True, text=True, timeout=60, check=False,
                          **_as(account))


def _as(account: Account | None) -> dict[str, Any]:
    if account is None:
        return {}
    return {"user": account.uid, "group": account.gid, "extra_groups": []}


@contextlib.contextmanager
def running(files: ServerFiles, address: str, port: int,
            domain: str) -> Iterator[subprocess.Popen[bytes]]:
    """Prosody in the foreground, ready once its c2s port at address answers a stream."""
    account = _prosody_account(files.root)
    with (files.root / "prosody.out").open("wb") as out:
        process = subprocess.Popen(["prosody", "--config", str(files.config), "-F"],
                                   stdout=out, stderr=subprocess.STDOUT, **_as(account))
    try:
        _wait_ready(process, files, address, port, domain)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)


def _wait_ready(process: subprocess.Popen[bytes], files: ServerFiles, address: str, port: int,
                domain: str) -> None:
    # Prosody loads every host and module before its event loop answers any stream.
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"prosody exited with {process.returncode}: {_logs(files)}")
        try:
            with connect(address, port) as stream:
                open_stream(stream, domain)
                return
        except OSError as error:
            if time.monotonic() > deadline:
                raise TimeoutError(f"prosody not ready after {START_TIMEOUT_S:.0f} s: {error}; "
                                   f"{_logs(files)}") from error
            time.sleep(0.05)


def _logs(files: ServerFiles) -> str:
    found = [path for path in (files.root / "prosody.out", files.root / "log" / "prosody.log")
             if path.exists()]
    return "\n".join(path.read_text(errors="replace")[-4000:] for path in found)


def connect(address: str, port: int) -> socket.socket:
    return socket.create_connection((address, port), timeout=IO_TIMEOUT_S)


def read_until(stream: socket.socket | ssl.SSLSocket, end: str) -> str:
    """What the server sends up to and including end, or until it closes the stream."""
    received = b""
    while end.encode() not in received and len(received) < MAX_REPLY_BYTES:
        chunk = stream.recv(4096)
        if not chunk:
            break
        received += chunk
    return received.decode(errors="replace")


def open_stream(stream: socket.socket | ssl.SSLSocket, domain: str) -> str:
    """Open a client stream to domain; return the server's header and stream features."""
    stream.sendall(
        f"<?xml version='1.0'?><stream:stream to='{domain}' version='1.0' xmlns='jabber:client'"
        " xmlns:stream='http://etherx.jabber.org/streams'>".encode())
    return read_until(stream, "</stream:features>")


def starttls(stream: socket.socket, domain: str, tls: ssl.SSLContext) -> ssl.SSLSocket:
    stream.sendall(f"<starttls xmlns='{TLS_NS}'/>".encode())
    reply = read_until(stream, "/>")
    if "<proceed" not in reply:
        raise AssertionError(f"STARTTLS refused: {reply}")
    return tls.wrap_socket(stream, server_hostname=domain)


def listening(pid: int) -> set[tuple[str, int]]:
    """Every TCP (address, port) the process listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:["):-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                address, port = fields[1].split(":")
                found.add((_address(address), int(port, 16)))
    return found


def _address(hexadecimal: str) -> str:
    # /proc/net/tcp* print each 32-bit word of the address in host (little-endian) order.
    words = [bytes.fromhex(hexadecimal[i:i + 8])[::-1] for i in range(0, len(hexadecimal), 8)]
    packed = b"".join(words)
    family = socket.AF_INET if len(packed) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, packed)


def http_reply(address: str, port: int, tls: ssl.SSLContext | None, domain: str) -> str:
    """What answers a WebSocket upgrade to /xmpp-websocket and a BOSH request to /http-bind at
    address:port, in cleartext or over TLS; "" when the port takes no such connection."""
    replies = []
    for request in (_websocket_upgrade(domain), _bosh_request(domain)):
        try:
            with connect(address, port) as raw, (
                    tls.wrap_socket(raw, server_hostname=domain) if tls else raw) as stream:
                stream.sendall(request)
                replies.append(read_until(stream, "\r\n\r\n"))
        except (OSError, ssl.SSLError):
            replies.append("")
    return "".join(replies)


def _websocket_upgrade(domain: str) -> bytes:
    return (f"GET /xmpp-websocket HTTP/1.1\r\nHost: {domain}\r\nConnection: Upgrade\r\n"
            "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").encode()


def _bosh_request(domain: str) -> bytes:
    body = (f"<body xmlns='http://jabber.org/protocol/httpbind' to='{domain}' rid='1' "
            "wait='1' hold='1' ver='1.6' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'/>")
    return (f"POST /http-bind HTTP/1.1\r\nHost: {domain}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()
