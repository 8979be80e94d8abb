"""A pytest plugin giving tests a real, throwaway PostgreSQL server.

`postgres_url` starts one server per test session: the newest server binaries under
/usr/lib/postgresql/*/bin (Debian's `postgresql` package is installed if there are none), a
fresh cluster in a temporary directory, listening on 127.0.0.1 on a free port with trust
authentication, stopped and deleted at the end. `fresh_database` makes an empty database on
it, so that every test gets its own. A missing prerequisite fails the session: it never skips.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

SERVER_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"
# A throwaway cluster: durability only costs time here.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                 "checkpoint_flush_after": "0", "backend_flush_after": "0"}
# A cluster and a few test databases fit in far less; containers often give /dev/shm 64 MiB.
RAM_DISK_MIN = 1 << 30


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be installed or started."""


@dataclass(frozen=True)
class Server:
    """A running test cluster."""

    bin_dir: Path
    data_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{SERVER_USER}@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of the session's PostgreSQL server (its `postgres` database)."""
    bin_dir = server_binaries()
    with _temporary_directory() as root:
        server = _start(bin_dir, root)
        try:
            yield server.url
        finally:
            _run_as_server(server.bin_dir / "pg_ctl", "stop", "-D", str(server.data_dir),
                           "-m", "fast", "-w", cwd=root)


@contextlib.asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """Create an empty database on the server at `server_url`; yield its URL; drop it."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    await _administer(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: a test that failed half-way may have left a connection open.
        await _administer(server_url, f'DROP DATABASE "{name}" WITH (FORCE)')


async def _administer(server_url: str, statement: str) -> None:
    # CREATE and DROP DATABASE refuse to run inside a transaction block.
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def server_binaries() -> Path:
    """The newest installed PostgreSQL server's bin directory, installing one if needed."""
    if found := _newest_binaries():
        return found
    _apt_install("postgresql")
    if found := _newest_binaries():
        return found
    raise PostgresUnavailable(f"apt-get installed postgresql but {SERVER_ROOT}/*/bin is empty")


def _newest_binaries() -> Path | None:
    candidates = [
        path.parent for path in SERVER_ROOT.glob("*/bin/initdb")
        if path.parent.parent.name.isdigit() and (path.parent / "pg_ctl").exists()
    ]
    return max(candidates, key=lambda p: int(p.parent.name), default=None)


def _apt_install(package: str) -> None:
    log.warning("no PostgreSQL server under %s: installing %s", SERVER_ROOT, package)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", package]
    if subprocess.run(install, check=False, env=env, capture_output=True).returncode == 0:
        return
    # The package lists may be missing or stale (fresh containers have none).
    _run("apt-get", "update", env=env)
    _run(*install, env=env)


def _temporary_directory() -> contextlib.AbstractContextManager[Path]:
    # Not under pytest's tmp_path: its parents are private to root, and the server user
    # must reach the cluster directory.
    root = Path(tempfile.mkdtemp(prefix="refdesk-postgres-", dir=_ram_disk()))
    if os.geteuid() == 0:
        user = _server_user()
        os.chown(root, user.pw_uid, user.pw_gid)
    return _removed_after(root)


def _ram_disk() -> str | None:
    """/dev/shm if it has room: on a disk, CREATE DATABASE takes ~0.3 s even with fsync off
    (~10 ms in RAM), and every test creates one."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= RAM_DISK_MIN:
        return str(shm)
    return None


@contextlib.contextmanager
def _removed_after(root: Path) -> Iterator[Path]:
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _server_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        _run("useradd", "--system", "--user-group", "--no-create-home",
             "--shell", "/usr/sbin/nologin", SERVER_USER)
        return pwd.getpwnam(SERVER_USER)


def _start(bin_dir: Path, root: Path) -> Server:
    data_dir = root / "data"
    _run_as_server(bin_dir / "initdb", "-D", str(data_dir), "-U", SERVER_USER, "--auth=trust",
                   "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions", cwd=root)
    server = Server(bin_dir, data_dir, _free_port())
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(server.port),
        "unix_socket_directories": f"'{root}'",
        **FAST_SETTINGS,
    }
    with (data_dir / "postgresql.conf").open("a") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    log_file = root / "server.log"
    started = _run_as_server(bin_dir / "pg_ctl", "start", "-D", str(data_dir),
                             "-l", str(log_file), "-w", "-t", "60", cwd=root, check=False)
    if started.returncode != 0:
        log_text = log_file.read_text() if log_file.exists() else "(no log)"
        raise PostgresUnavailable(f"pg_ctl start failed:\n{started.stdout}\n{log_text}")
    log.info("PostgreSQL %s listening on 127.0.0.1:%d", bin_dir.parent.name, server.port)
    return server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the session with its output if it fails and `check` is set."""
    argv = [str(part) for part in command]
    result = subprocess.run(argv, check=False, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(argv)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def _run_as_server(*command: str | Path, cwd: Path,
                   check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run one of PostgreSQL's programs, as the server user when we are root."""
    prefix = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
    # The C locale always exists; an inherited LANG may name one that does not.
    env = {**os.environ, "LC_ALL": "C"}
    return _run(*prefix, *command, cwd=cwd, env=env, check=check)
