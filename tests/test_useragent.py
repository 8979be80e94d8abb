"""A chat's page and browser as the reports count them: real user agents, junk referrers."""

from __future__ import annotations

import pytest

from refdesk.useragent import Origin, families, origin, page

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
          " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
           " Chrome/120.0.6099.144 Mobile Safari/537.36")
WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                  " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")
MAC_FIREFOX = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101"
               " Firefox/121.0")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(("agent", "expected"), [
    (IPHONE, ("Mobile Safari", "iOS", "iPhone")),
    (ANDROID, ("Chrome Mobile", "Android", "Pixel 8")),
    (WINDOWS_CHROME, ("Chrome", "Windows", "Other")),
    (MAC_FIREFOX, ("Firefox", "Mac OS X", "Mac")),
    (GOOGLEBOT, ("Googlebot", "Other", "Spider")),
    ("?? %%% ##", ("Other", "Other", "Other")),
])
def test_a_user_agent_is_named_by_its_families(agent: str, expected: tuple[str, ...]) -> None:
    assert families(agent) == expected


def test_no_user_agent_names_nothing() -> None:
    assert families("") == (None, None, None)
    assert families("   ") == (None, None, None)


def test_the_same_user_agent_is_parsed_once() -> None:
    families.cache_clear()
    families(IPHONE)
    families(IPHONE)
    assert families.cache_info().hits == 1


@pytest.mark.parametrize(("referrer", "expected"), [
    ("https://lib.example/ask?q=my+thesis#top", "https://lib.example/ask"),
    ("HTTPS://Lib.Example:8443/a/b;p", "https://lib.example:8443/a/b;p"),
    ("http://ann:secret@lib.example/x", "http://lib.example/x"),
    ("http://lib.example", "http://lib.example/"),
    ("http://[::1]:8101/demo", "http://[::1]:8101/demo"),
    ("javascript:alert(1)", None),
    ("file:///etc/passwd", None),
    ("not a url", None),
    ("http://lib.example:99999/", None),
    ("", None),
    (None, None),
    ("https://lib.example/" + "a" * 2100, "https://lib.example/" + "a" * 235 + "…"),
])
def test_the_source_is_scheme_host_and_path(referrer: str | None, expected: str | None) -> None:
    assert page(referrer) == expected


def test_origin_puts_page_and_browser_together() -> None:
    assert origin("https://lib.example/ask?x=1", IPHONE) == Origin(
        "https://lib.example/ask", "Mobile Safari", "iOS", "iPhone")
    assert origin(None, None) == Origin()
