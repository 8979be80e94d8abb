"""What a sysadmin does by hand around refdesk's own commands: a private CA and certificates,
a hosts file for a network without DNS, and starting Prosody and refdesk's services.

Nothing here knows refdesk's internals: the deployment test makes its federation with the
`refdesk` command as the README shows it, and with these.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REFDESK = str(Path(sys.executable).with_name("refdesk"))
"""The installed `refdesk` command of the environment running the tests."""
COMMAND_TIMEOUT_S = 60.0
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
PROSODY_USER = "prosody"


def refdesk(*args: str, timeout: float = COMMAND_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """Run `refdesk ARGS` and insist that it succeeds; its output."""
    done = subprocess.run([REFDESK, *args], capture_output=True, text=True, timeout=timeout,
                          check=False)
    assert done.returncode == 0, (f"refdesk {' '.join(args)} exited {done.returncode}:\n"
                                  f"{done.stdout}{done.stderr}")
    return done


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], capture_output=True, check=True, timeout=60)


def make_ca(directory: Path) -> Path:
    """A private network's own CA (its certificate; the key stays beside it)."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=refdesk deployment test CA", "-keyout", str(directory / "ca.key"),
            "-out", str(directory / "ca.pem"),
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return directory / "ca.pem"


def issue_certificate(ca: Path, directory: Path, names: tuple[str, ...]) -> tuple[Path, Path]:
    """fullchain.pem and privkey.pem for names[0] and the other names, laid out as Let's
    Encrypt leaves them; the key readable by Prosody's group, as `prosodyctl cert import`
    would leave it."""
    directory.mkdir(parents=True)
    chain, key = directory / "fullchain.pem", directory / "privkey.pem"
    extensions = directory / "san.ext"
    extensions.write_text(f"subjectAltName={','.join(f'DNS:{name}' for name in names)}\n"
                          "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={names[0]}",
            "-keyout", str(key), "-out", str(directory / "request.csr"))
    openssl("x509", "-req", "-in", str(directory / "request.csr"), "-CA", str(ca),
            "-CAkey", str(ca.with_suffix(".key")), "-CAcreateserial", "-days", "2",
            "-extfile", str(extensions), "-out", str(chain))
    shutil.chown(key, group=PROSODY_USER)
    key.chmod(0o640)
    return chain, key


def prosody_owned_directory(path: Path) -> Path:
    """`install -d -o prosody -g prosody PATH`: where one Prosody keeps its data."""
    subprocess.run(["install", "-d", "-o", PROSODY_USER, "-g", PROSODY_USER, str(path)],
                   check=True, timeout=10)
    return path


@dataclass
class Services:
    """The processes started, stopped in reverse order however the test ends."""

    logs: Path
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as log:
            # A session of its own: stopping it reaches nothing else of the test's.
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append((name, process))
        return process

    def prosody(self, name: str, config: Path) -> None:
        """Prosody in the foreground as its own system user, as Debian's unit runs it.

        Prosody refuses to run as root (unless told `run_as_root`, which a production
        configuration never says); the test runs as root, so it drops to the prosody user
        with setpriv, which then execs Prosody itself: the process stopped is Prosody's."""
        self.start(name, ["setpriv", f"--reuid={PROSODY_USER}", f"--regid={PROSODY_USER}",
                          "--init-groups", "prosody", "--config", str(config), "-F"])

    def refdesk(self, name: str, role: str, config: Path) -> None:
        """`refdesk serve` or `refdesk gateway`, as its systemd unit runs it; back once ready."""
        ready = self.logs / f"{name}.ready"
        process = self.start(name, [REFDESK, role, "--config", str(config),
                                    "--ready-file", str(ready)])
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{name} did not get ready:\n{self.log(name)}")
            time.sleep(0.1)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for _, process in reversed(self.processes):
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT_S)


def wait_for_port(address: str, port: int, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((address, port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on {address}:{port}") from None
            time.sleep(0.1)


def keep_logs(root: Path, destination: Path) -> None:
    """Every server's log, kept where pytest keeps a run's files, and said where."""
    for log in (*root.glob("*.log"), *root.glob("*/prosody/prosody.log")):
        name = log.name if log.parent == root else f"prosody-{log.parts[-3]}.log"
        shutil.copyfile(log, destination / name)
    print(f"the servers' logs are in {destination}", file=sys.stderr)


@contextlib.contextmanager
def services(logs: Path) -> Iterator[Services]:
    running = Services(logs)
    try:
        yield running
    finally:
        running.stop()
