"""The `scripts` ad-hoc command (XEP-0050) at faq.<library>, for stock clients (Gajim,
poezio): lists the library's scripted messages with their text to staff of its co-ops, and
lets its local admins add, replace or delete one in the same form."""

from __future__ import annotations

from typing import Any

from slixmpp import ComponentXMPP, Iq

from components.adhoc_sessions import offer_command
from components.errors import command_errors
from components.faq.access import Standing
from components.faq.scriptaccess import Scripts
from components.forms import add_text, finish_with_text
from refdesk.db.stores.scripts import ScriptRecord

Session = dict[str, Any]
ACTIONS = [{"label": "Add or replace this script", "value": "save"},
           {"label": "Delete this script", "value": "delete"}]


def listing(scripts: list[ScriptRecord]) -> str:
    """The scripts as a librarian reads them: each name, then its text."""
    if not scripts:
        return "The library has no scripts yet."
    return "\n".join(f"{script.name}: {script.text}" for script in scripts)


class ScriptCommand:
    def __init__(self, xmpp: ComponentXMPP, scripts: Scripts) -> None:
        self.xmpp, self.scripts = xmpp, scripts
        self._forms = xmpp.plugin["xep_0004"]

    def register(self) -> None:
        offer_command(self.xmpp, "scripts", "Scripts", self.command_scripts)

    async def command_scripts(self, iq: Iq, session: Session) -> Session:
        with command_errors("scripts command"):
            asker = await self.scripts.reader(iq["from"].bare)
            known = await self.scripts.store.list(asker.directory.institution_id)
        if asker.standing < Standing.LOCAL_ADMIN:
            return finish_with_text(session, listing(known))
        form = self._forms.make_form("form", "Scripts")
        add_text(form, listing(known))
        form.add_field(var="action", ftype="list-single", label="Change", required=True,
                       options=ACTIONS, value="save")
        form.add_field(var="name", ftype="text-single", label="Name (one word)",
                       required=True)
        form.add_field(var="text", ftype="text-multi", label="Text (to add or replace)")
        session.update(payload=form, next=self._changed, has_next=False,
                       allow_complete=True, by=iq["from"].bare)
        return session

    async def _changed(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        text = values.get("text") or ""
        text = "\n".join(text) if isinstance(text, list) else str(text)
        name = str(values.get("name") or "")
        with command_errors("scripts command"):
            asker = await self.scripts.editor(session["by"])
            library = asker.directory.institution_id
            if values.get("action") == "delete":
                await self.scripts.store.delete(library, name)
                done = f"Script {name.strip().lower()} deleted."
            else:
                saved = await self.scripts.store.save(library, name, text, asker.jid)
                done = f"Script {saved.name} saved."
        session.update(payload=None, next=None, has_next=False, notes=[("info", done)])
        return session
