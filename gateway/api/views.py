"""The API's views: check the query, ask the component as the librarian, answer JSON or CSV."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Final
from xml.etree.ElementTree import Element

from aiohttp import web

from gateway.api import queries
from gateway.api.keys import API, API_COOPS
from gateway.api.link import AskFailed, XmppLink
from gateway.api.problems import Problem, answers_problems
from gateway.api.translate import Json, columns_of, csv_rows, to_csv, to_json

REPORT_COLUMNS: Final = ("table", "key", "label", "chats", "answered", "wait", "duration",
                         "ratings", "rating")
ACTIVITY_COLUMNS: Final = ("table", "key", "label", "hours", "scheduled", "sessions",
                           "operators")
CONTRIBUTION_COLUMNS: Final = ("domain", "name", "contributing", "requested", "accepted",
                               "percent", "target")
DASHBOARD_COLUMNS: Final = ("id", "name", "level", "institution", "answered", "hours",
                            "percent", "coop_chats", "members")
SHIFT_COLUMNS: Final = ("id", "institution", "weekday", "start", "end", "staff", "backups",
                        "mine")
# A co-op's registry that does not count the librarian in: nothing of theirs there.
NOT_THEIRS: Final = frozenset({"forbidden", "item-not-found", "not-authorized"})


@answers_problems
async def library_report(request: web.Request) -> web.StreamResponse:
    link = await request.app[API].link(request)
    payload = queries.report(request.query)
    answer = await link.ask(f"stats.{request.app[API].domain}", payload)
    return _render(request, to_json(answer), "tables", REPORT_COLUMNS, "report")


@answers_problems
async def coop_report(request: web.Request) -> web.StreamResponse:
    link, registry, coop = await _coop(request)
    answer = await link.ask(registry, queries.report(request.query, coop))
    return _render(request, to_json(answer), "tables", REPORT_COLUMNS, "report")


@answers_problems
async def activity(request: web.Request) -> web.StreamResponse:
    link, registry, coop = await _coop(request)
    answer = await link.ask(registry, queries.activity(request.query, coop))
    return _render(request, to_json(answer), "tables", ACTIVITY_COLUMNS, "activity")


@answers_problems
async def contribution(request: web.Request) -> web.StreamResponse:
    link, registry, coop = await _coop(request)
    answer = await link.ask(registry, queries.contribution(request.query, coop))
    return _render(request, to_json(answer), "members", CONTRIBUTION_COLUMNS, "contribution")


@answers_problems
async def schedule(request: web.Request) -> web.StreamResponse:
    link, registry, coop = await _coop(request)
    today = datetime.datetime.now(datetime.UTC).date()
    answer = await link.ask(registry, queries.schedule(request.query, coop, today))
    return _render(request, to_json(answer), "shifts", SHIFT_COLUMNS, "schedule")


@answers_problems
async def dashboard(request: web.Request) -> web.StreamResponse:
    """The dashboards of every registry of the library's co-ops, as one."""
    link = await request.app[API].link(request)
    payload = queries.dashboard(request.query)
    document: Json = {"coops": []}
    for registry in await request.app[API_COOPS].registries():
        part = await _dashboard_at(link, registry, payload)
        document = {**part, **document, "coops": document["coops"] + part.get("coops", [])}
    return _render(request, document, "coops", DASHBOARD_COLUMNS, "dashboard")


async def _dashboard_at(link: XmppLink, registry: str, payload: Element) -> Json:
    try:
        return to_json(await link.ask(registry, payload))
    except AskFailed as refusal:
        if refusal.condition in NOT_THEIRS:
            return {}
        raise


async def _coop(request: web.Request) -> tuple[XmppLink, str, str]:
    """The librarian's link, the registry of the co-op in the path, and its id."""
    link = await request.app[API].link(request)
    coop = request.match_info["coop"]
    # No co-op's id is this long or holds what XML cannot carry: the database is not asked.
    registry = (await request.app[API_COOPS].registry(coop) if queries.is_slug(coop)
                else None)
    if registry is None:
        raise Problem(404, "Not Found", f"This library is in no co-op {coop!r}.")
    return link, registry, coop


def _render(request: web.Request, document: Json, collection: str, first: Sequence[str],
            name: str) -> web.Response:
    headers = {"Cache-Control": "no-store"}
    if queries.output_format(request.query) == "json":
        return web.json_response(document, headers=headers)
    rows = csv_rows(document, collection)
    headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return web.Response(text=to_csv(rows, columns_of(rows, first)), content_type="text/csv",
                        charset="utf-8", headers=headers)
