"""A certificate's names, dates and key, as doctor judges them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from refdesk.doctor.certificates import check_certificate, covers, uncovered
from refdesk.doctor.result import Status
from tests.doctor.pki import NOW, write_pair

HOSTS = ("alpha.example", "conference.alpha.example", "guest.alpha.example",
         "queue.alpha.example", "faq.alpha.example")


@pytest.mark.parametrize(("pattern", "name", "expected"), [
    ("alpha.example", "alpha.example", True),
    ("Alpha.Example.", "alpha.example", True),
    ("alpha.example", "queue.alpha.example", False),
    ("*.alpha.example", "queue.alpha.example", True),
    ("*.alpha.example", "alpha.example", False),
    ("*.alpha.example", "a.queue.alpha.example", False),
    ("*.example", "queue.alpha.example", False),
    ("q*.alpha.example", "queue.alpha.example", False),
    ("beta.example", "alpha.example", False),
])
def test_a_certificate_name_covers_a_host_as_rfc6125_says(pattern: str, name: str,
                                                          expected: bool) -> None:
    assert covers(pattern, name) is expected


def test_a_wildcard_and_the_bare_domain_together_cover_every_subdomain() -> None:
    assert uncovered(["alpha.example", "*.alpha.example"], HOSTS) == []
    assert uncovered(["*.alpha.example"], HOSTS) == ["alpha.example"]
    assert uncovered(["alpha.example", "queue.alpha.example"], HOSTS) == [
        "conference.alpha.example", "guest.alpha.example", "faq.alpha.example"]


def test_a_good_certificate_passes_every_check(tmp_path: Path) -> None:
    pair = write_pair(tmp_path, "good", HOSTS)
    results = check_certificate(pair.certificate, pair.key, HOSTS, NOW)
    assert [r.status for r in results] == [Status.OK] * 3
    assert "covers alpha.example, conference.alpha.example" in results[1].finding


def test_a_certificate_for_another_name_fails_naming_what_it_misses(tmp_path: Path) -> None:
    pair = write_pair(tmp_path, "other", ("beta.example",))
    names = check_certificate(pair.certificate, pair.key, HOSTS, NOW)[1]
    assert names.status is Status.FAIL
    assert "does not cover alpha.example, conference.alpha.example" in names.finding
    assert "it names beta.example" in names.finding
    assert "certbot -d alpha.example -d conference.alpha.example" in names.advice


def test_the_common_name_counts_only_without_a_subject_alt_name(tmp_path: Path) -> None:
    bare = write_pair(tmp_path, "bare", (), common_name="alpha.example")
    assert check_certificate(bare.certificate, bare.key, ("alpha.example",), NOW)[1].status \
        is Status.OK
    both = write_pair(tmp_path, "both", ("beta.example",), common_name="alpha.example")
    assert check_certificate(both.certificate, both.key, ("alpha.example",), NOW)[1].status \
        is Status.FAIL


@pytest.mark.parametrize(("days_left", "days_old", "status", "words"), [
    (30, 1, Status.OK, "valid until"),
    (5, 1, Status.WARN, "in 5 days"),
    (-1, 100, Status.FAIL, "expired on"),
    (90, -2, Status.FAIL, "not valid before"),
])
def test_dates_warn_two_weeks_ahead_and_fail_outside_the_validity(
        tmp_path: Path, days_left: float, days_old: float, status: Status, words: str) -> None:
    pair = write_pair(tmp_path, "dated", HOSTS, days_left=days_left, days_old=days_old)
    dates = check_certificate(pair.certificate, pair.key, HOSTS, NOW)[0]
    assert dates.status is status
    assert words in dates.finding


def test_a_key_that_is_not_the_certificates_fails(tmp_path: Path) -> None:
    pair = write_pair(tmp_path, "pair", HOSTS)
    other = write_pair(tmp_path, "other", HOSTS)
    results = check_certificate(pair.certificate, other.key, HOSTS, NOW)
    assert results[2].status is Status.FAIL
    assert f"key {other.key} is not the key of {pair.certificate}" in results[2].finding


def test_a_certificate_reissued_for_the_same_key_still_matches_it(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    first = write_pair(tmp_path, "first", HOSTS, key=key)
    again = write_pair(tmp_path, "again", HOSTS, key=key)
    assert check_certificate(again.certificate, first.key, HOSTS, NOW)[2].status is Status.OK


@pytest.mark.parametrize("which", ["certificate", "key"])
def test_a_missing_file_fails_with_its_path(tmp_path: Path, which: str) -> None:
    pair = write_pair(tmp_path, "pair", HOSTS)
    getattr(pair, which).unlink()
    results = check_certificate(pair.certificate, pair.key, HOSTS,
                                datetime.datetime.now(datetime.UTC))
    assert results[-1].status is Status.FAIL
    assert f"{which} {getattr(pair, which)} does not exist" in results[-1].finding


def test_a_file_that_is_not_pem_fails(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    [result] = check_certificate(junk, junk, HOSTS, NOW)
    assert result.status is Status.FAIL
    assert "holds no PEM certificate" in result.finding
