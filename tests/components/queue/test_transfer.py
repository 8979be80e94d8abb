"""transfer.split_destination: the longest destination name first, spaces and all."""

from __future__ import annotations

from typing import Any, cast

import pytest

from components.queue.desk import Desk
from components.queue.monitoring import Monitoring
from components.queue.transfer import named, split_destination
from tests.components.queue.directory import alpha


@pytest.fixture
def desk() -> Desk:
    """A desk with Alpha's set-up; naming a destination needs nothing else."""
    unused = cast(Any, None)
    desk = Desk(unused, Monitoring(), unused, unused, staff_delay_s=40)
    desk.load(alpha())
    return desk


@pytest.mark.parametrize(("text", "split"), [
    ("Adult Services please help", ("Adult Services", "please help")),
    ("Adult please help", ("Adult", "please help")),  # a department of its own
    ("adult services", ("adult services", "")),
    ("Valley Libraries Co-op they know local history", ("Valley Libraries Co-op",
                                                        "they know local history")),
    ("24/7 Reference", ("24/7 Reference", "")),
    ("coop-local over to you", ("coop-local", "over to you")),
    ("ada@alpha.test thanks", ("ada@alpha.test", "thanks")),
    ("Nowhere at all", ("Nowhere", "at all")),  # no such name: the first word, for the error
    ("   ", ("", "")),
])
def test_split_destination(desk: Desk, text: str, split: tuple[str, str]) -> None:
    assert split_destination(desk, text) == split


def test_the_adhoc_forms_choices_name_departments_and_coops_by_room_and_id(desk: Desk) -> None:
    # The transfer form offers a department's room JID and a co-op's id as its values.
    offered = {**desk.directory.departments,
               **{coop.id: coop.name for coop in desk.directory.coops.values()}}
    for value, label in offered.items():
        destination = named(desk, value)
        assert destination is not None and destination.staff_label == label, value
