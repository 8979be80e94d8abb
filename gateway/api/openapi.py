"""/api/v0/openapi.json: the API described in OpenAPI 3.1, written as data."""

from __future__ import annotations

from typing import Any, Final

from aiohttp import web

Json = dict[str, Any]


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _numbers(*names: str) -> Json:
    return {name: {"type": "number", "minimum": 0} for name in names}


def _integers(*names: str) -> Json:
    return {name: {"type": "integer", "minimum": 0} for name in names}


def _texts(*names: str) -> Json:
    return {name: {"type": "string"} for name in names}


def _object(properties: Json, required: tuple[str, ...] = ()) -> Json:
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _tables(row: str) -> Json:
    return {"type": "object", "additionalProperties": {"type": "array", "items": _ref(row)},
            "description": "One table per breakdown, by name, each a list of rows."}


PERIOD_PROPERTIES: Final = {"from": {"type": "string", "format": "date"},
                            "to": {"type": "string", "format": "date"},
                            "zone": {"type": "string"}}
SCOPE: Final = {"type": "string", "enum": ["mine", "institution", "library", "coop"],
                "description": "Whose chats the figures cover."}
PERSON: Final = _object(_texts("jid", "nick"), ("jid",))

SCHEMAS: Final[Json] = {
    "Problem": _object({**_texts("type", "title", "detail"), "status": {"type": "integer"}},
                       ("title", "status", "detail")),
    "Row": _object({**_texts("key", "label"), **_integers("chats", "answered", "ratings"),
                    **_numbers("wait", "duration"),
                    "rating": {"type": "number", "minimum": 1, "maximum": 5}},
                   ("key", "chats", "answered", "ratings")),
    "ActivityRow": _object({**_texts("key", "label"), **_numbers("hours", "scheduled"),
                            **_integers("sessions", "operators")},
                           ("key", "hours", "sessions")),
    "Report": _object({"kind": {"type": "string", "enum": ["distributions", "sources", "staff"]},
                       **PERIOD_PROPERTIES, **_texts("coop", "widget", "institution"),
                       "scope": SCOPE, **_integers("chats"), "tables": _tables("Row")},
                      ("kind", "from", "to")),
    "Activity": _object({"kind": {"type": "string", "enum": ["mine", "institutions"]},
                         "coop": {"type": "string"}, **PERIOD_PROPERTIES, "scope": SCOPE,
                         "tables": _tables("ActivityRow")}, ("kind", "coop", "from", "to")),
    "Member": _object({**_texts("domain", "name"), "contributing": {"type": "boolean"},
                       **_integers("requested", "accepted"), **_numbers("percent", "target")},
                      ("domain", "name", "contributing", "requested", "accepted", "target")),
    "Contribution": _object({"coop": {"type": "string"}, **PERIOD_PROPERTIES,
                             **_integers("requested", "accepted"), **_numbers("percent"),
                             "members": {"type": "array", "items": _ref("Member")}},
                            ("coop", "from", "to")),
    "DashboardCoop": _object({
        **_texts("id", "name", "institution"),
        "level": {"type": "string", "enum": ["regular", "institution-admin", "coop-admin"]},
        **_integers("answered", "coop_chats", "members"), **_numbers("hours", "percent")},
        ("id", "name", "level", "institution", "answered", "hours", "coop_chats", "members")),
    "Dashboard": _object({**_texts("zone", "month"),
                          "coops": {"type": "array", "items": _ref("DashboardCoop")}},
                         ("coops",)),
    "Shift": _object({**_integers("id", "weekday"), **_texts("coop", "institution", "start",
                                                              "end"),
                      "mine": {"type": "boolean"},
                      "staff": {"type": "array", "items": PERSON},
                      "backups": {"type": "array", "items": PERSON}},
                     ("institution", "weekday", "start", "end")),
    "Schedule": _object({
        "coop": {"type": "string"}, "week": {"type": "string", "format": "date"},
        "settings": _object({**_texts("coop", "zone"), **_integers("served_per_hour")}),
        "members": {"type": "array", "items": _object({
            **_texts("domain", "name"), "contributing": {"type": "boolean"},
            **_integers("served"), **_numbers("owed", "scheduled")})},
        "shifts": {"type": "array", "items": _ref("Shift")},
        "holidays": {"type": "array", "items": _object(_texts("coop", "date", "name"))},
        "missed": {"type": "array", "items": _object({
            **_integers("id", "shift"), **_texts("coop", "date", "reason"),
            "make_up": _object(_texts("date", "start", "end"))})},
        "gaps": {"type": "array", "items": _object({**_integers("weekday"),
                                                    **_texts("start", "end")})}},
        ("coop", "week")),
}


def _query(name: str, description: str, required: bool = False, **schema: Any) -> Json:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": {"type": "string", **schema}}


DATE_FROM: Final = _query("from", "First day, in `zone`.", True, format="date")
DATE_TO: Final = _query("to", "Last day (inclusive), in `zone`; at most 3 years after from.",
                        True, format="date")
ZONE: Final = _query("zone", "IANA time zone the days and distributions are counted in.",
                     default="UTC")
FORMAT: Final = _query("format", "json, or csv (one row per table row; formula-safe).",
                       enum=["json", "csv"], default="json")
COOP_PATH: Final = {"name": "coop", "in": "path", "required": True,
                    "description": "The co-op's id, e.g. coop-247.", "schema": {"type": "string"}}
REPORT_PARAMETERS: Final = [
    _query("kind", "Which breakdowns.", True, enum=["distributions", "sources", "staff"]),
    DATE_FROM, DATE_TO, ZONE, _query("widget", "Only chats asked at this widget."),
    _query("institution", "Only chats of this library (its domain)."), FORMAT]


def _problem(description: str, header: str | None = None, about: str = "") -> Json:
    problem: Json = {"description": description,
                     "content": {"application/problem+json": {"schema": _ref("Problem")}}}
    if header:
        problem["headers"] = {header: {"description": about, "schema": {"type": "string"}}}
    return problem


def _operation(summary: str, schema: str, parameters: list[Json]) -> Json:
    return {"get": {
        "summary": summary, "parameters": parameters,
        "responses": {
            "200": {"description": "The figures.", "content": {
                "application/json": {"schema": _ref(schema)},
                "text/csv": {"schema": {"type": "string"}}}},
            "400": _problem("A parameter is wrong; `detail` says which."),
            "401": _problem("No, or wrong, credentials (the same answer for an unknown user).",
                            "WWW-Authenticate", "Basic, realm refdesk."),
            "403": _problem("Your account level does not give you this."),
            "404": _problem("No such co-op here, or nothing you may see."),
            "429": _problem("Too many requests or failed logins, or the API is full.",
                            "Retry-After", "Seconds to wait before trying again."),
            "504": _problem("The library's chat service did not answer in time."),
        }}}


DOCUMENT: Final[Json] = {
    "openapi": "3.1.0",
    "info": {"title": "refdesk reports API", "version": "0",
             "description": (
                 "Reports, monitoring activity, the Contribution Percentage, the co-op "
                 "dashboard and the staffing schedule, for a library's own dashboards. Log "
                 "in with HTTP Basic as a librarian of this library (user@library or just "
                 "user); you see exactly what your account sees in the console.")},
    "servers": [{"url": "/api/v0"}],
    "security": [{"librarian": []}],
    "paths": {
        "/report": _operation("A report on the library's own patrons' chats.", "Report",
                              [*REPORT_PARAMETERS[:-1], _query("coop", "Only this co-op's "
                                                               "chats."), FORMAT]),
        "/dashboard": _operation("Your co-op dashboard: every co-op you belong to.",
                                 "Dashboard", [ZONE, FORMAT]),
        "/coops/{coop}/report": _operation("A report on a co-op's chats, as your level allows.",
                                           "Report", [COOP_PATH, *REPORT_PARAMETERS]),
        "/coops/{coop}/activity": _operation(
            "Monitoring activity: your own (mine) or each member's against its shifts.",
            "Activity", [COOP_PATH, _query("kind", "mine or institutions.", True,
                                           enum=["mine", "institutions"]),
                         DATE_FROM, DATE_TO, ZONE, FORMAT]),
        "/coops/{coop}/contribution": _operation(
            "The Contribution Percentage of each member you may see, and the co-op's.",
            "Contribution", [COOP_PATH, DATE_FROM, DATE_TO, ZONE, FORMAT]),
        "/coops/{coop}/schedule": _operation(
            "The co-op's staffing schedule for a week (CSV: its shifts).", "Schedule",
            [COOP_PATH, _query("week", "Any day of the week; this week when absent.",
                               format="date"), FORMAT]),
    },
    "components": {
        "securitySchemes": {"librarian": {"type": "http", "scheme": "basic"}},
        "schemas": SCHEMAS,
    },
}


async def openapi(request: web.Request) -> web.Response:
    """The document, for anyone: it describes the API, not anyone's data."""
    return web.json_response(DOCUMENT)
