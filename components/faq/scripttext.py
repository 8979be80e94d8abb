"""`!scripts`, typed in a chat with faq.<library>, for clients without ad-hoc commands (Dino,
Conversations): the library's scripted messages with their text, to staff of its co-ops."""

from __future__ import annotations

from components.faq.scriptaccess import Scripts
from components.faq.scriptcommand import listing
from components.queue.textcommands import command
from refdesk.errors import RefdeskError

WORD = "scripts"
USAGE = f"{command(WORD)}: the library's scripted messages"


class ScriptText:
    def __init__(self, scripts: Scripts) -> None:
        self.scripts = scripts

    async def answer(self, asker: str, _rest: str = "") -> str:
        """The reply; a refusal is said in the chat, readable in any client."""
        try:
            reader = await self.scripts.reader(asker)
            known = await self.scripts.store.list(reader.directory.institution_id)
        except RefdeskError as refused:
            return str(refused)
        return (f"{listing(known)}\nIn a chat with a patron of the library, send one with "
                f"{command('script')} <name>.")
