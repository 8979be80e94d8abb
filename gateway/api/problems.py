"""RFC 9457 problem documents, and the one decorator that turns the API's errors into them:
no view has a try/except of its own."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web

from gateway.api.link import AskFailed, AskTimedOut, ServerUnreachable

log = logging.getLogger(__name__)

PROBLEM_TYPE: Final = "application/problem+json"
REALM: Final = 'Basic realm="refdesk", charset="UTF-8"'
# The components' refusals, as HTTP says them. A condition missing here is the server's
# trouble, not the caller's: 502.
STATUS_OF: Final = {
    "bad-request": 400,
    "not-acceptable": 400,
    "jid-malformed": 400,
    "not-authorized": 403,
    "forbidden": 403,
    "item-not-found": 404,
    "service-unavailable": 503,
    "remote-server-not-found": 503,
}
View = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Problem(Exception):
    """An answer that is not the data asked for."""

    def __init__(self, status: int, title: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}


def unauthorized() -> Problem:
    """The same answer for no credentials, an unknown user and a wrong password."""
    return Problem(401, "Unauthorized", "Log in with your own account at this library.",
                   {"WWW-Authenticate": REALM})


def too_many(retry_after_s: int, detail: str) -> Problem:
    return Problem(429, "Too Many Requests", detail, {"Retry-After": str(retry_after_s)})


def bad_request(detail: str) -> Problem:
    return Problem(400, "Bad Request", detail)


def response(problem: Problem) -> web.Response:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status,
            "detail": problem.detail}
    return web.json_response(body, status=problem.status, headers=problem.headers,
                             content_type=PROBLEM_TYPE)


def answers_problems(view: View) -> View:
    """Problems, the components' XMPP errors and an absent server become problem documents;
    anything else a logged 500."""
    @functools.wraps(view)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await view(request)
        except Problem as problem:
            return response(problem)
        except AskFailed as error:
            return response(_from_xmpp(error))
        except (AskTimedOut, ServerUnreachable):
            return response(Problem(504, "Gateway Timeout",
                                    "The library's chat service did not answer in time."))
        except web.HTTPException:
            raise
        except Exception:
            log.exception("API request %s failed", request.path)
            return response(Problem(500, "Internal Server Error",
                                    "Something went wrong on our side; please try again."))
    return wrapped


def _from_xmpp(error: AskFailed) -> Problem:
    status = STATUS_OF.get(error.condition, 502)
    title = {400: "Bad Request", 403: "Forbidden", 404: "Not Found",
             503: "Service Unavailable"}.get(status, "Bad Gateway")
    return Problem(status, title, error.text or error.condition)
