"""The library's policy page at faq.<library>, three ways to ask (the protocol's policy
requests, the `policy` ad-hoc command, `!policy`), and its date told to the co-ops'
registries."""

from __future__ import annotations

from slixmpp import ComponentXMPP
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.faq.askers import Askers
from components.faq.policyaccess import Policies
from components.faq.policycommand import PolicyCommand
from components.faq.policyrequests import PolicyRequests
from components.faq.policystatus import PolicyStatus
from components.faq.policytext import USAGE, WORD, PolicyText
from components.textcommands import TextCommands
from refdesk.db.stores.policies import PolicyStore


def register(xmpp: ComponentXMPP, askers: Askers, sessions: async_sessionmaker[AsyncSession],
             texts: TextCommands) -> None:
    """Answer policy requests, the `policy` command and `!policy`; keep registries told."""
    store = PolicyStore(sessions)
    policies = Policies(askers, store)
    status = PolicyStatus(xmpp, askers, store)
    policies.on_change.append(status.changed)
    status.register()
    PolicyRequests(xmpp, policies).register()
    PolicyCommand(xmpp, policies).register()
    texts.add(WORD, USAGE, PolicyText(policies).answer)
