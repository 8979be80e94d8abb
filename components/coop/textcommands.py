"""The text commands typed in a chat with coop.<host>: `!schedule` (added by its module),
and `!report`, which has a handler of its own (components/stats/textcommands.py, shared with
stats.<library>, refusing outsiders before reading a word): it is left to it here, and
listed. Anything else gets the list."""

from __future__ import annotations

from slixmpp import ComponentXMPP

from components.stats.reporttext import USAGE as REPORT_USAGE
from components.textcommands import TextCommands

ANSWERED_ELSEWHERE = {"report": REPORT_USAGE}


class CoopTextCommands(TextCommands):
    def __init__(self, xmpp: ComponentXMPP) -> None:
        super().__init__(xmpp, ANSWERED_ELSEWHERE)
