"""The policy page as text, and `!policy` typed in a chat with faq.<library>, for clients
without ad-hoc commands (Dino, Conversations). Other lines are left to the faq component's
other text commands."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Message

from components.errors import xmpp_errors
from components.faq.policyaccess import Policies
from components.faq.policytemplate import LABELS
from components.queue.textcommands import parse
from refdesk.db.stores.policies import PolicyRecord
from refdesk.errors import RefdeskError

WORD = "policy"


def page_text(library: str, page: PolicyRecord, stale: dict[str, int]) -> str:
    """The page as a librarian reads it: when it was updated, whether it is out of date,
    then each filled-in field under its label."""
    if page.updated is None:
        head = [f"{library} has no policy page yet."]
    else:
        by = f" by {page.updated_by}" if page.updated_by else ""
        head = [f"Policy page of {library}, last updated {page.updated:%Y-%m-%d}{by}."]
    head += [f"Out of date for {coop} (older than {days} days)."
             for coop, days in sorted(stale.items())]
    body = [f"{LABELS[name]}: {text}" for name, text in page.fields.items()]
    return "\n".join(head + body)


class PolicyText:
    def __init__(self, xmpp: ComponentXMPP, policies: Policies) -> None:
        self.xmpp, self.policies = xmpp, policies

    def register(self) -> None:
        self.xmpp.add_event_handler("message", self.on_message)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        if (message["type"] not in ("chat", "normal") or message["to"].user
                or not message["body"]):
            return
        typed = parse(message["body"])
        if typed is None or typed.word != WORD:
            return
        self.xmpp.make_message(mto=message["from"], mbody=await self.answer(message["from"].bare),
                               mtype="chat", mfrom=self.xmpp.boundjid.bare).send()

    async def answer(self, jid: str) -> str:
        """The reply; a refusal is said in the chat, readable in any client."""
        try:
            asker = await self.policies.reader(jid)
            page, stale = await self.policies.page(asker)
        except RefdeskError as refused:
            return str(refused)
        return page_text(asker.directory.name, page, stale)
