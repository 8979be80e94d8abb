"""Text a librarian must read in an ad-hoc command's form (XEP-0004).

A form's instructions are the client's to show or not, and poezio does not draw them; fixed
fields every client with data forms draws. So a listing, a state, or what someone may do
goes in fixed fields, one per line, before the fields they fill in.
"""

from __future__ import annotations

from slixmpp.plugins.xep_0004.stanza.form import Form


def add_text(form: Form, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        form.add_field(var=f"text-{number}", ftype="fixed", value=line)


def text_of(form: Form) -> str:
    """The text add_text put in a form, as a client shows it."""
    return "\n".join(str(field["value"]) for field in form.get_fields().values()
                     if field["type"] == "fixed")
