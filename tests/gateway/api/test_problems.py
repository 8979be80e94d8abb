"""Every refusal of the API is an RFC 9457 problem document: the components' XMPP errors keep
their sentence, an absent server is a 504, a bug a logged 500 that tells nothing."""

from __future__ import annotations

import json

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from gateway.api.link import AskFailed, AskTimedOut
from gateway.api.problems import answers_problems, unauthorized


async def answer_to(error: Exception) -> tuple[int, dict[str, str], dict[str, object]]:
    @answers_problems
    async def view(request: web.Request) -> web.StreamResponse:
        raise error

    response = await view(make_mocked_request("GET", "/api/v0/report"))
    assert isinstance(response, web.Response) and response.text is not None
    assert response.content_type == "application/problem+json"
    return response.status, dict(response.headers), json.loads(response.text)


@pytest.mark.parametrize(("condition", "status"), [
    ("bad-request", 400), ("forbidden", 403), ("not-authorized", 403),
    ("item-not-found", 404), ("service-unavailable", 503), ("internal-server-error", 502),
])
async def test_a_components_refusal_keeps_its_sentence(condition: str, status: int) -> None:
    answered, _, body = await answer_to(AskFailed(condition, "The sentence."))

    assert answered == status and body["status"] == status
    assert body["detail"] == "The sentence." and body["type"] == "about:blank"


async def test_no_answer_in_time_is_a_504() -> None:
    status, _, body = await answer_to(AskTimedOut("stats.alpha.test"))

    assert status == 504 and "did not answer" in str(body["detail"])


async def test_a_bug_is_a_500_that_tells_nothing_of_it(caplog: pytest.LogCaptureFixture) -> None:
    status, _, body = await answer_to(RuntimeError("secret internals"))

    assert status == 500 and "secret" not in json.dumps(body)
    assert "secret internals" in caplog.text


async def test_unauthorized_asks_for_basic_credentials() -> None:
    status, headers, body = await answer_to(unauthorized())

    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic realm=")
    assert body["title"] == "Unauthorized"
