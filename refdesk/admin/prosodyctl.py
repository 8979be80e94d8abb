"""Librarians' XMPP accounts, made and removed by Prosody's own prosodyctl.

Prosody's supported route: refdesk never writes Prosody's data files. The password goes to
prosodyctl's standard input (adduser asks for it twice), never on a command line where any
local user could read it in the process list.
"""

from __future__ import annotations

import asyncio
import logging
import shutil

from refdesk.admin.base import AdminError
from refdesk.settings.model import ProsodySettings

log = logging.getLogger(__name__)

TIMEOUT_S = 60.0


class Prosodyctl:
    """Runs `prosodyctl --config <file> …` for this deployment's Prosody."""

    def __init__(self, settings: ProsodySettings) -> None:
        self._command = settings.prosodyctl
        self._config = settings.config

    async def create(self, jid: str, password: str) -> None:
        """Make the account; AdminError if Prosody would not (it exists, say)."""
        await self._run("adduser", jid, stdin=f"{password}\n{password}\n")

    async def delete(self, jid: str) -> None:
        """Remove the account and its data; an account already gone is not an error."""
        try:
            await self._run("deluser", jid)
        except AdminError as refused:
            if "does not exist" not in str(refused):
                raise
            log.warning("%s had no XMPP account to remove", jid)

    async def _run(self, action: str, jid: str, stdin: str = "") -> None:
        executable = shutil.which(self._command)
        if executable is None:
            raise AdminError(f"cannot run {self._command}: not found; install Prosody or set "
                             "[prosody] prosodyctl in the configuration")
        process = await asyncio.create_subprocess_exec(
            executable, "--config", self._config, action, jid,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT)
        try:
            output, _ = await asyncio.wait_for(process.communicate(stdin.encode()), TIMEOUT_S)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise AdminError(f"prosodyctl {action} {jid} did not finish in {TIMEOUT_S:.0f} s"
                             ) from None
        if process.returncode != 0:
            raise AdminError(f"prosodyctl {action} {jid} failed: {_last_words(output)}")


def _last_words(output: bytes) -> str:
    """prosodyctl's own complaint, on one line, without its password prompts."""
    lines = [line.strip() for line in output.decode(errors="replace").splitlines()]
    said = [line for line in lines if line and "password:" not in line.lower()]
    return said[-1] if said else "no reason given"
