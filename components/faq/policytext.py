"""The policy page as text, and `!policy` typed in a chat with faq.<library>, for clients
without ad-hoc commands (Dino, Conversations)."""

from __future__ import annotations

from components.faq.policyaccess import Policies
from components.faq.policytemplate import LABELS
from components.queue.textcommands import command
from refdesk.db.stores.policies import PolicyRecord
from refdesk.errors import RefdeskError

WORD = "policy"
USAGE = f"{command(WORD)}: the library's policy page"


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
    def __init__(self, policies: Policies) -> None:
        self.policies = policies

    async def answer(self, jid: str, _rest: str = "") -> str:
        """The reply; a refusal is said in the chat, readable in any client."""
        try:
            asker = await self.policies.reader(jid)
            page, stale = await self.policies.page(asker)
        except RefdeskError as refused:
            return str(refused)
        return page_text(asker.directory.name, page, self.policies.named(stale))
