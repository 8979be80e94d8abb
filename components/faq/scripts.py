"""The library's scripted messages at faq.<library>, three ways to ask: the protocol's
requests (scripts, script, delete-script), the `scripts` ad-hoc command and `!scripts`."""

from __future__ import annotations

from slixmpp import ComponentXMPP
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.faq.askers import Askers
from components.faq.scriptaccess import Scripts
from components.faq.scriptcommand import ScriptCommand
from components.faq.scriptrequests import ScriptRequests
from components.faq.scripttext import USAGE, WORD, ScriptText
from components.textcommands import TextCommands
from refdesk.db.stores.scripts import ScriptStore


def register(xmpp: ComponentXMPP, askers: Askers, sessions: async_sessionmaker[AsyncSession],
             texts: TextCommands) -> None:
    """Answer scripts requests, the `scripts` command and `!scripts` at faq.<library>."""
    scripts = Scripts(askers, ScriptStore(sessions))
    ScriptRequests(xmpp, scripts).register()
    ScriptCommand(xmpp, scripts).register()
    texts.add(WORD, USAGE, ScriptText(scripts).answer)
