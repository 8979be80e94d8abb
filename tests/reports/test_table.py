"""A sources or staff table keeps its rows to a number that fits one answer: the most chats
first, and the rest summed in one row that says how many it holds."""

from __future__ import annotations

from refdesk.reports.engine import MAX_ROWS, OTHERS, table
from refdesk.reports.figures import Figures


def test_past_the_row_limit_the_rest_are_one_row_and_nothing_is_lost() -> None:
    found = {f"https://evil.test/{number}": Figures(chats=1 + number % 3, answered=1)
             for number in range(MAX_ROWS + 50)}
    made = table("source", found, lambda table, key: None)

    assert len(made.rows) == MAX_ROWS + 1
    assert [row.figures.chats for row in made.rows[:3]] == [3, 3, 3]  # the most chats first
    others = made.rows[-1]
    assert (others.key, others.label) == (OTHERS, "50 others")
    assert sum(row.figures.chats for row in made.rows) == sum(f.chats for f in found.values())
    assert others.figures.answered == 50


def test_a_table_within_the_limit_is_left_whole() -> None:
    made = table("browser", {"Firefox": Figures(chats=2), "Chrome": Figures(chats=5)},
                 lambda table, key: key.upper())

    assert [(row.key, row.label) for row in made.rows] == [("Chrome", "CHROME"),
                                                            ("Firefox", "FIREFOX")]
