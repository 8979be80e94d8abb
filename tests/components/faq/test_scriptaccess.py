"""Who reads and changes a library's scripts: staff of its co-ops read, its local admins
change; a patron or an outsider is told there are none, whatever the library has."""

from __future__ import annotations

from dataclasses import replace

import pytest

from components.faq.askers import Askers
from components.faq.scriptaccess import NOT_HERE, Scripts
from refdesk.db.stores.directory import OperatorInfo
from refdesk.errors import NotFound, NotPermitted
from tests.components.queue.directory import alpha


def scripts() -> Scripts:
    askers = Askers()
    directory = alpha()
    askers.directory = replace(directory, operators={
        **directory.operators,
        "ann@alpha.test": OperatorInfo("ann@alpha.test", "Ann Archer", "Ann", True, True)})
    askers.ready.set()
    return Scripts(askers, store=None)  # type: ignore[arg-type]  # the rules only


@pytest.mark.parametrize("asker", ["x1y2@guest.alpha.test", "eve@elsewhere.test",
                                   "ada@guest.alpha.test"])
async def test_a_patron_or_outsider_is_told_there_are_none(asker: str) -> None:
    for way in (scripts().reader, scripts().editor):
        with pytest.raises(NotFound, match=NOT_HERE):
            await way(asker)


async def test_an_operator_reads_but_only_a_local_admin_changes() -> None:
    rules = scripts()
    assert (await rules.reader("ada@alpha.test")).jid == "ada@alpha.test"
    with pytest.raises(NotPermitted, match="local admins"):
        await rules.editor("ada@alpha.test")
    assert (await rules.editor("ann@alpha.test")).jid == "ann@alpha.test"

