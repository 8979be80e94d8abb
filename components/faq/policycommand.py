"""The `policy` ad-hoc command (XEP-0050) at faq.<library>, for stock clients (Gajim,
poezio): shows the library's policy page to staff of its co-ops, and gives its local admins
the template's fields to edit in the same form."""

from __future__ import annotations

from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.adhoc_sessions import offer_command
from components.errors import command_errors
from components.faq.access import Standing
from components.faq.policyaccess import Policies
from components.faq.policytemplate import HINTS, LABELS
from components.faq.policytext import page_text
from components.forms import add_text, finish_with_text
from refdesk.db.models import PolicyField
from refdesk.db.stores.policies import PolicyRecord

Session = dict[str, Any]


class PolicyCommand:
    def __init__(self, xmpp: ComponentXMPP, policies: Policies) -> None:
        self.xmpp, self.policies = xmpp, policies
        self._forms = xmpp.plugin["xep_0004"]

    def register(self) -> None:
        offer_command(self.xmpp, "policy", "Policy page", self.command_policy)

    async def command_policy(self, iq: Iq, session: Session) -> Session:
        with command_errors("policy command"):
            asker = await self.policies.reader(iq["from"].bare)
            page, stale = await self.policies.page(asker)
        shown = page_text(asker.directory.name, page, self.policies.named(stale))
        if asker.standing < Standing.LOCAL_ADMIN:
            return finish_with_text(session, shown)
        form = self._forms.make_form("form", "Policy page")
        dated = PolicyRecord(updated=page.updated, updated_by=page.updated_by)
        add_text(form, page_text(asker.directory.name, dated, self.policies.named(stale))
                 + "\nEdit the fields below; an empty field is left off the page.")
        for name in PolicyField:
            value = page.fields.get(name, "")
            form.add_field(var=name.value, ftype=_kind(value), label=LABELS[name],
                           desc=HINTS[name], value=value)
        session.update(payload=form, next=self._changed, has_next=False,
                       allow_complete=True, by=iq["from"].bare)
        return session

    async def _changed(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        fields = {name.value: _text(values.get(name.value)) for name in PolicyField}
        with command_errors("policy command"):
            asker = await self.policies.editor(session["by"])
            page = await self.policies.save(asker, fields)
        when = "never" if page.updated is None else f"{page.updated:%Y-%m-%d %H:%M} UTC"
        session.update(payload=None, next=None, has_next=False,
                       notes=[("info", f"Policy page saved (last updated {when}).")])
        return session


def _kind(value: str) -> str:
    """A value of one line in a text-single field, which poezio shows from its start and
    scrolls; in a text-multi field it shows no line longer than half the window."""
    return "text-single" if value and "\n" not in value else "text-multi"


def _text(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(str(line) for line in value)
    return "" if value is None else str(value)
