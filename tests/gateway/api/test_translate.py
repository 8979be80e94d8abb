"""The components' answers as JSON and CSV: typed by the schemas, formula-safe, and a CSV that
reads back to the same figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree.ElementTree import fromstring

import xmlschema

from gateway.api.translate import columns_of, csv_rows, to_csv, to_json
from gateway.api.views import REPORT_COLUMNS, SHIFT_COLUMNS

SCHEMAS = Path(__file__).parents[3] / "schemas"
STATS = xmlschema.XMLSchema(str(SCHEMAS / "stats.xsd"))
SCHEDULE = xmlschema.XMLSchema(str(SCHEMAS / "schedule.xsd"))

REPORT = """<report xmlns='urn:refdesk:stats:0' kind='staff' from='2026-01-01' to='2026-01-31'
  zone='Europe/Paris' scope='library' chats='3'>
  <table name='user'>
    <row key='ann@alpha.test' label='=HYPERLINK("http://evil")' chats='2' answered='2'
         wait='12.5' duration='300' ratings='1' rating='4.0'/>
    <row key='bob@alpha.test' chats='1' answered='0' ratings='0'/>
  </table>
  <table name='institution'>
    <row key='alpha.test' label='Alpha University Library' chats='3' answered='2' ratings='1'
         rating='4'/>
  </table>
</report>"""

DISTRIBUTIONS = """<report xmlns='urn:refdesk:stats:0' kind='distributions' from='2026-01-01'
  to='2026-01-01'><table name='weekday'><row key='1' chats='0' answered='0' ratings='0'/>
  </table></report>"""

SCHEDULE_WEEK = """<schedule xmlns='urn:refdesk:schedule:0' coop='coop-247' week='2026-11-23'>
  <settings coop='coop-247' zone='UTC' served-per-hour='10000'/>
  <member domain='alpha.test' name='Alpha' contributing='true' owed='3' scheduled='2.5'/>
  <shift coop='coop-247' id='7' institution='alpha.test' weekday='1' start='09:00'
         end='12:00' mine='true'>
    <staff jid='ann@alpha.test' nick='Ann'/><staff jid='al@alpha.test'/>
    <backup jid='bob@alpha.test'/>
  </shift>
  <missed coop='coop-247' id='2' shift='7' date='2026-11-23' reason='ill'>
    <make-up date='2026-11-25' start='10:00' end='13:00'/>
  </missed>
  <gap weekday='2' start='00:00' end='24:00'/>
</schedule>"""


def test_a_report_becomes_typed_json_with_its_tables_by_name() -> None:
    STATS.validate(REPORT)

    document = to_json(fromstring(REPORT))

    assert document["kind"] == "staff" and document["zone"] == "Europe/Paris"
    assert document["chats"] == 3 and document["scope"] == "library"
    ann, bob = document["tables"]["user"]
    assert ann == {"key": "ann@alpha.test", "label": '=HYPERLINK("http://evil")', "chats": 2,
                   "answered": 2, "wait": 12.5, "duration": 300, "ratings": 1, "rating": 4.0}
    assert bob == {"key": "bob@alpha.test", "chats": 1, "answered": 0, "ratings": 0}
    assert document["tables"]["institution"][0]["rating"] == 4


def test_a_row_key_that_looks_like_a_number_stays_text() -> None:
    document = to_json(fromstring(DISTRIBUTIONS))

    assert document["tables"]["weekday"][0]["key"] == "1"


def test_a_schedule_week_becomes_json_with_plural_lists_and_nested_make_up() -> None:
    SCHEDULE.validate(SCHEDULE_WEEK)

    week = to_json(fromstring(SCHEDULE_WEEK))

    assert week["settings"] == {"coop": "coop-247", "zone": "UTC", "served_per_hour": 10000}
    assert week["members"][0]["contributing"] is True and week["members"][0]["scheduled"] == 2.5
    shift = week["shifts"][0]
    assert shift["id"] == 7 and shift["mine"] is True and shift["start"] == "09:00"
    assert [p["jid"] for p in shift["staff"]] == ["ann@alpha.test", "al@alpha.test"]
    assert shift["backups"] == [{"jid": "bob@alpha.test"}]
    assert week["missed"][0]["make_up"] == {"date": "2026-11-25", "start": "10:00",
                                            "end": "13:00"}
    assert week["gaps"] == [{"weekday": 2, "start": "00:00", "end": "24:00"}]


def test_a_report_as_csv_reads_back_to_the_same_figures() -> None:
    document = to_json(fromstring(REPORT))
    rows = csv_rows(document, "tables")

    text = to_csv(rows, columns_of(rows, REPORT_COLUMNS))
    read = list(csv.DictReader(io.StringIO(text)))

    assert [row["table"] for row in read] == ["user", "user", "institution"]
    for original, back in zip(rows, read, strict=True):
        for column in ("chats", "answered", "ratings"):
            assert int(back[column]) == original[column]
        for column in ("wait", "duration", "rating"):
            assert (float(back[column]) if back[column] else None) == original.get(column)
        assert back["key"] == original["key"]


def test_a_csv_cell_a_spreadsheet_would_run_is_defused() -> None:
    rows = [{"key": value, "chats": 1} for value in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx",
                                                     "plain")]

    read = list(csv.DictReader(io.StringIO(to_csv(rows, ["key", "chats"]))))

    assert [row["key"] for row in read] == ["'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", "plain"]
    assert all(row["chats"] == "1" for row in read)


def test_a_schedule_as_csv_lists_its_shifts_with_their_people() -> None:
    rows = csv_rows(to_json(fromstring(SCHEDULE_WEEK)), "shifts")

    read = list(csv.DictReader(io.StringIO(to_csv(rows, columns_of(rows, SHIFT_COLUMNS)))))

    assert read[0]["staff"] == "ann@alpha.test al@alpha.test"
    assert read[0]["backups"] == "bob@alpha.test" and read[0]["mine"] == "true"


def test_members_come_in_the_schemas_order_whatever_the_attributes_order() -> None:
    row = fromstring("<report xmlns='urn:refdesk:stats:0' to='2026-01-02' chats='1' "
                     "kind='staff' from='2026-01-01' scope='mine'/>")

    assert list(to_json(row)) == ["kind", "from", "to", "scope", "chats"]
