"""Who may refer to whom: libraries that share a co-op, archive to archive, nobody else."""

from __future__ import annotations

import pytest
from slixmpp import JID
from slixmpp.xmlstream import ET

from components.archive.referrals import referring_library, shares_coop
from components.archive.ticketwire import NS, RSM, page_request
from refdesk.db.models import CoopAudience, CoopKind, InstitutionKind
from refdesk.db.stores.registry import CoopMember, CoopRecord
from refdesk.errors import InvalidInput


def _coop(coop_id: str, *members: str) -> CoopRecord:
    return CoopRecord(coop_id, coop_id, CoopKind.LOCAL, CoopAudience.MIXED, "host.test",
                      f"{coop_id}@conference.host.test", "coop.host.test",
                      tuple(CoopMember(m, m, InstitutionKind.ACADEMIC, True) for m in members),
                      ())


COOPS = {"local": _coop("local", "alpha.test", "beta.test"),
         "247": _coop("247", "alpha.test", "gamma.test")}


def test_libraries_that_share_a_coop_may_refer_to_each_other_and_no_one_else() -> None:
    assert shares_coop(COOPS, "alpha.test", "beta.test")
    assert shares_coop(COOPS, "alpha.test", "gamma.test")
    assert not shares_coop(COOPS, "beta.test", "gamma.test")  # no co-op in common
    assert not shares_coop(COOPS, "alpha.test", "alpha.test")  # not to oneself
    assert not shares_coop(COOPS, "alpha.test", "host.test")  # the host is no member


@pytest.mark.parametrize(("sender", "library"), [
    ("archive.beta.test", "beta.test"),
    ("archive.delta.test", None),  # shares no co-op
    ("queue.beta.test", None),  # another component
    ("bea@beta.test", None),  # a librarian
    ("archive.beta.test/x", None),
    ("guest.alpha.test", None),
    ("abc@guest.alpha.test/web", None),  # a patron
])
def test_a_referral_comes_only_from_a_partner_librarys_archive(sender: str,
                                                               library: str | None) -> None:
    assert referring_library(COOPS, "alpha.test", JID(sender)) == library


def rsm_query(**fields: str) -> ET.Element:
    query = ET.Element(f"{{{NS}}}tickets")
    wanted = ET.SubElement(query, f"{{{RSM}}}set")
    for name, value in fields.items():
        ET.SubElement(wanted, f"{{{RSM}}}{name}").text = value
    return query


def test_a_page_request_reads_max_after_and_an_empty_before() -> None:
    wanted = page_request(rsm_query(max="5", before=""))
    assert (wanted.limit, wanted.after, wanted.before) == (5, None, None)
    wanted = page_request(rsm_query(after="12"))
    assert (wanted.limit, wanted.after, wanted.before) == (20, 12, None)


@pytest.mark.parametrize(("fields", "problem"), [
    ({"max": "1000"}, "max is a whole number up to 100."),
    ({"max": "-1"}, "max is a whole number up to 100."),
    ({"after": ""}, "<after/> is a ticket number from an earlier page."),
    ({"before": "x"}, "<before/> is a ticket number from an earlier page."),
])
def test_a_bad_page_request_says_what_is_wrong(fields: dict[str, str], problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        page_request(rsm_query(**fields))
    assert str(refused.value) == problem
