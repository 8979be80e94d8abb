"""HTTP Basic credentials of this library's librarians only, and failed logins per address."""

from __future__ import annotations

import base64

import pytest

from gateway.api.credentials import Credentials, FailedLogins, parse_basic


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def basic(user_password: str) -> str:
    return "Basic " + base64.b64encode(user_password.encode()).decode()


def test_a_librarian_of_this_library_is_read_with_or_without_the_domain() -> None:
    assert parse_basic(basic("ann@alpha.test:s3cret:x"), "alpha.test") == Credentials(
        "ann@alpha.test", "s3cret:x")
    assert parse_basic(basic("ann:pw"), "alpha.test") == Credentials("ann@alpha.test", "pw")


@pytest.mark.parametrize("header", [
    None, "", "Bearer abc", "Basic !!!", basic("ann@alpha.test"), basic("ann@alpha.test:"),
    basic("bea@beta.test:pw"), basic("x@guest.alpha.test:pw"), basic("@alpha.test:pw"),
    basic("ann@alpha.test/res:pw"), basic("a b@alpha.test:pw"),
    "Basic " + base64.b64encode(b"ann:\xff").decode(),
])
def test_anything_but_an_account_here_is_no_credentials(header: str | None) -> None:
    assert parse_basic(header, "alpha.test") is None


def test_an_address_is_stopped_after_five_failures_until_the_first_leaves_the_window() -> None:
    clock = FakeClock()
    failures = FailedLogins(max_failures=5, window_s=300, clock=clock)
    for _ in range(4):
        failures.failed("192.0.2.1")
        clock.now += 10
    assert failures.retry_after("192.0.2.1") is None

    failures.failed("192.0.2.1")

    assert failures.retry_after("192.0.2.1") == 261
    assert failures.retry_after("192.0.2.2") is None
    clock.now += 261
    assert failures.retry_after("192.0.2.1") is None


def test_an_ipv6_network_fails_as_one_address() -> None:
    failures = FailedLogins(max_failures=2, window_s=60, clock=FakeClock())

    failures.failed("2001:db8::1")
    failures.failed("2001:db8::2")

    assert failures.retry_after("2001:db8::ffff") is not None


def test_a_reserved_attempt_counts_as_failed_until_released() -> None:
    failures = FailedLogins(max_failures=2, window_s=60, clock=FakeClock())

    first = failures.reserve("192.0.2.1")
    second = failures.reserve("192.0.2.1")

    assert first is not None and second is not None
    assert failures.reserve("192.0.2.1") is None
    assert failures.retry_after("192.0.2.1") is not None
    failures.release("192.0.2.1", first)
    assert failures.retry_after("192.0.2.1") is None
