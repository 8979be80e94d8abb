"""Background processes of a lab: started detached, recorded, and stopped exactly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path

RECORD = "processes.json"
KILL_WAIT_S = 5.0
NO_LAB_ADDRESS = "127.255.255.254"
"""A loopback address no lab binds: a port busy there too is held on every address."""


@dataclass(frozen=True)
class Started:
    name: str
    pid: int
    argv: tuple[str, ...]
    start_ticks: int
    """Start time from /proc/<pid>/stat: tells our process from a later one with its pid."""


def spawn(name: str, argv: list[str], log_file: Path) -> Started:
    """Start argv detached, in its own session, so that it outlives `refdesk lab up`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    redirects = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    pid = os.posix_spawnp(argv[0], argv, dict(os.environ), file_actions=redirects, setsid=True)
    return Started(name, pid, tuple(argv), _start_ticks(pid) or 0)


def save(lab_dir: Path, started: list[Started]) -> None:
    records = [
        {"name": s.name, "pid": s.pid, "argv": list(s.argv), "start_ticks": s.start_ticks}
        for s in started
    ]
    (lab_dir / RECORD).write_text(json.dumps(records, indent=2) + "\n")


def load(lab_dir: Path) -> list[Started]:
    path = lab_dir / RECORD
    if not path.exists():
        return []
    return [
        Started(r["name"], r["pid"], tuple(r["argv"]), r["start_ticks"])
        for r in json.loads(path.read_text())
    ]


def _start_ticks(pid: int) -> int | None:
    """The process's start time, or None if it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name in parentheses may hold spaces; the fields after it do not.
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] == "Z" else int(fields[19])


def is_running(started: Started) -> bool:
    """True while started.pid is still the process we started (pids get reused)."""
    return _start_ticks(started.pid) == started.start_ticks


def stop(started: Started, grace_s: float = 5.0) -> None:
    """SIGTERM, then SIGKILL after grace_s (at once when grace_s is 0); only if the pid is
    still ours. Returns once the process is gone."""
    steps = [(signal.SIGTERM, grace_s)] if grace_s else []
    for sig, wait_s in (*steps, (signal.SIGKILL, KILL_WAIT_S)):
        if not is_running(started):
            return
        os.kill(started.pid, sig)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and is_running(started):
            _reap(started.pid)
            time.sleep(0.02)


def _reap(pid: int) -> None:
    # A child of this very process stays a zombie (and "running") until waited for.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def port_in_use(address: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return True
    return False


def wait_for_port(address: str, port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((address, port), timeout=1):
                return
        except OSError as error:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"nothing listens on {address}:{port} after {timeout_s:.0f} s"
                ) from error
            time.sleep(0.05)


def wait_for_file(path: Path, timeout_s: float, watched: Started) -> None:
    """Wait until path exists, failing early if the process that should write it died."""
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if not is_running(watched):
            raise RuntimeError(f"{watched.name} exited before it was ready")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{watched.name} not ready after {timeout_s:.0f} s")
        time.sleep(0.05)
