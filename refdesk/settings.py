"""Settings of one refdesk deployment: read from TOML, overridden by ``REFDESK_*``, validated once.

``conf/refdesk.example.toml`` documents every key. ``schemas/settings.schema.json`` is generated
from the models below: ``python -m refdesk.settings --schema > schemas/settings.schema.json``.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Final, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FilePath,
    SecretStr,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import ErrorDetails, PydanticCustomError

ComponentName = Literal["queue", "faq", "archive", "stats", "coop"]
COMPONENT_NAMES: Final[tuple[str, ...]] = get_args(ComponentName)
PLACEHOLDER_SECRET: Final = "change-me"
MIN_SECRET_LENGTH: Final = 16
ENV_PREFIX: Final = "REFDESK_"
DATABASE_SCHEMES: Final = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_URL: Final = {"pattern": f"^({'|'.join(map(re.escape, DATABASE_SCHEMES))})"}

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DNS_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


class SettingsError(Exception):
    """A configuration that refdesk refuses to start with; str() is one line."""

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        super().__init__(path, key, problem)
        self.path, self.key, self.problem = path, key, problem

    def __str__(self) -> str:
        parts = (self.path, self.key, self.problem) if self.key else (self.path, self.problem)
        return " ".join(": ".join(parts).split("\n"))


def _refuse_bool(value: object) -> object:
    # pydantic's lax mode reads true/false as 1/0; in a config file that is always a mistake.
    if isinstance(value, bool):
        raise PydanticCustomError("bool_type", "must be a number, not true or false")
    return value


def _port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise ValueError(f"must be between 1 and 65535, got {value}")
    return value


def _dns_name(value: str) -> str:
    name = value.lower()
    # A numeric last label would make an IP address pass for a domain.
    if len(name) > 253 or not _DNS_NAME.fullmatch(name) or name.rsplit(".", 1)[-1].isdigit():
        raise ValueError(
            "must be a DNS name such as alpha.example (letters, digits, hyphens and dots;"
            f" no scheme, port or path), got {_show(value)}"
        )
    return name


def _host(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        if _DNS_NAME.fullmatch(value.lower()):
            return value.lower()
    raise ValueError(f"must be a host name or an IP address, got {_show(value)}")


def _no_duplicates(names: tuple[str, ...]) -> tuple[str, ...]:
    for index, name in enumerate(names):
        if name in names[:index]:
            raise ValueError(f"lists {name!r} twice")
    return names


def _real_secret(secret: SecretStr) -> SecretStr:
    value = secret.get_secret_value()
    advice = f"set a real one of {MIN_SECRET_LENGTH}+ characters in REFDESK_COMPONENTS_SECRET"
    if value == PLACEHOLDER_SECRET:
        raise ValueError(f"is still the placeholder {PLACEHOLDER_SECRET!r}: {advice}")
    if len(value.strip()) < MIN_SECRET_LENGTH:
        raise ValueError(f"is too short: {advice}")
    return secret


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _database_url(url: str) -> str:
    if not url.startswith(DATABASE_SCHEMES):
        # Show the scheme only: the rest of a database URL may hold a password.
        shown = f"'{url.partition('://')[0]}://…'" if "://" in url else _show(url)
        raise ValueError(f"must start with {' or '.join(DATABASE_SCHEMES)}, got {shown}")
    return url


Port = Annotated[
    int,
    BeforeValidator(_refuse_bool),
    AfterValidator(_port),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 65535}),
]
DnsName = Annotated[
    str, AfterValidator(_dns_name), WithJsonSchema({"type": "string", "format": "hostname"})
]
Host = Annotated[str, AfterValidator(_host)]
Seconds = Annotated[float, Field(gt=0), BeforeValidator(_refuse_bool)]
LogLevel = Annotated[Literal["debug", "info", "warning", "error"], BeforeValidator(_lower)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class LibrarySettings(_Section):
    """Who this deployment is: one library's XMPP domain, or a co-op's coordinating host."""

    domain: DnsName
    """The XMPP domain of this deployment; components live at <name>.<domain>."""
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    """The institution's name as patrons and co-op partners see it."""
    kind: Literal["academic", "public", "coordinating"] = "academic"
    """academic or public library, or coordinating (the host of a 24/7 co-op)."""


class ServerSettings(_Section):
    """This deployment's own XMPP server (Prosody), as the components and the gateway reach it."""

    address: Host = "127.0.0.1"
    """Host name or IP address the components and the gateway connect to."""
    c2s_port: Port = 5222
    """Client-to-server port (the gateway's patron and operator streams)."""
    component_port: Port = 5347
    """XEP-0114 component port."""
    ca_file: FilePath | None = None
    """CA bundle to verify the server's TLS certificate (relative to this file's directory)."""


class ComponentsSettings(_Section):
    """The XEP-0114 components this deployment runs."""

    enabled: Annotated[
        tuple[ComponentName, ...],
        AfterValidator(_no_duplicates),
        Field(json_schema_extra={"uniqueItems": True}),
    ] = ("queue", "faq", "archive", "stats")
    """Components to run, each at <name>.<domain>."""
    secret: Annotated[SecretStr, AfterValidator(_real_secret)]
    """XEP-0114 shared secret, as on the server; best set in REFDESK_COMPONENTS_SECRET."""
    reconnect_max_delay: Seconds = 30.0
    """Cap, in seconds, of the back-off between reconnection attempts."""


class DatabaseSettings(_Section):
    """Where this library's chats, transcripts, FAQs and widgets are stored."""

    url: Annotated[
        str, AfterValidator(_database_url), Field(repr=False, json_schema_extra=_URL)
    ] = "sqlite+aiosqlite:////var/lib/refdesk/refdesk.db"
    """SQLAlchemy URL: sqlite+aiosqlite:// (embedded) or postgresql+asyncpg:// (production)."""


class GatewaySettings(_Section):
    """The HTTP gateway: BOSH, WebSocket, the widget and the operator web client."""

    address: Host = "127.0.0.1"
    """Host name or IP address the gateway listens on."""
    port: Port = 5280
    """TCP port the gateway listens on."""


class LogSettings(_Section):
    """Logging."""

    level: LogLevel = "info"
    """Least severe level logged: debug, info, warning or error."""


class Settings(_Section):
    """The whole configuration of one refdesk deployment."""

    library: LibrarySettings
    server: ServerSettings = ServerSettings()
    components: ComponentsSettings
    database: DatabaseSettings = DatabaseSettings()
    gateway: GatewaySettings = GatewaySettings()
    log: LogSettings = LogSettings()

    def component_jid(self, name: str) -> str:
        """Return the JID of component `name` of this deployment, e.g. queue.alpha.example."""
        if name not in COMPONENT_NAMES:
            raise ValueError(f"unknown component {name!r}; expected one of {COMPONENT_NAMES}")
        return f"{name}.{self.library.domain}"


# The sections an override may name, e.g. "server" in REFDESK_SERVER_C2S_PORT.
_SECTIONS: Final[dict[str, type[BaseModel]]] = {
    name: model
    for name, field in Settings.model_fields.items()
    if isinstance(model := field.annotation, type) and issubclass(model, BaseModel)
}


def load_settings(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> Settings:
    """Read the TOML file at `path`, apply ``REFDESK_<SECTION>_<KEY>`` overrides, validate."""
    shown = os.fspath(path)
    data = _read_toml(Path(path), shown)
    origins = _apply_environ(data, os.environ if environ is None else environ, shown)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise _settings_error(shown, exc, origins) from None


def _read_toml(path: Path, shown: str) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as exc:
        raise SettingsError(shown, None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(shown, None, f"invalid TOML: not UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(shown, None, _toml_problem(str(exc))) from None
    _anchor_paths(data, path.parent)
    return data


def _toml_problem(message: str) -> str:
    # Python 3.11's TOMLDecodeError carries its position only inside the message.
    match = re.fullmatch(r"(?s)(.*) \((at line \d+, column \d+|at end of document)\)", message)
    if match is None:
        return f"invalid TOML: {message}"
    return f"invalid TOML {match[2]}: {match[1]}"


def _anchor_paths(data: dict[str, Any], base: Path) -> None:
    # A relative path in a file means relative to that file, not to wherever refdesk was started.
    server = data.get("server")
    if isinstance(server, dict) and isinstance(server.get("ca_file"), str):
        server["ca_file"] = str(base / server["ca_file"])


def _apply_environ(
    data: dict[str, Any], environ: Mapping[str, str], shown: str
) -> dict[tuple[str, str], str]:
    """Merge overrides into `data`; return which variable set each (section, key)."""
    origins: dict[tuple[str, str], str] = {}
    for variable in sorted(environ):
        target = _override_target(variable, shown)
        if target is None:
            continue
        section, key, is_list = target
        table = data.setdefault(section, {})
        if isinstance(table, dict):  # otherwise validation reports the section itself
            value = environ[variable]
            table[key] = _split(value) if is_list else value
            origins[section, key] = variable
    return origins


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _override_target(variable: str, shown: str) -> tuple[str, str, bool] | None:
    """Map REFDESK_SERVER_C2S_PORT to ("server", "c2s_port", is a list); None if no section."""
    if not variable.startswith(ENV_PREFIX):
        return None
    section, _, key = variable[len(ENV_PREFIX) :].lower().partition("_")
    # Other REFDESK_* variables (not naming a section) belong to other tools, e.g. the lab.
    model = _SECTIONS.get(section)
    if model is None:
        return None
    field = model.model_fields.get(key)
    if field is None:
        raise SettingsError(shown, f"{section}.{key}", f"unknown key (from {variable})")
    return section, key, get_origin(field.annotation) is tuple


_PROBLEMS: Final[dict[str, str]] = {
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "must be an integer"),
    **dict.fromkeys(("float_type", "float_parsing"), "must be a number"),
    "string_type": "must be a string",
    "tuple_type": "must be a list",
    "model_type": "must be a table",
    "literal_error": "must be one of {expected}",
    "greater_than": "must be greater than {gt}",
    "path_type": "must be a path",
    "path_not_file": "must be an existing file",
    "string_too_short": "must not be empty",
}


def _settings_error(
    shown: str, exc: ValidationError, origins: Mapping[tuple[str, str], str]
) -> SettingsError:
    """Report pydantic's first error (its order follows the models and the file) on one line."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = first["loc"]
    problem = _problem(first)
    variable = origins.get((str(loc[0]), str(loc[1]))) if len(loc) >= 2 else None
    if variable is not None:
        problem += f" (from {variable})"
    if len(errors) > 1:
        more = len(errors) - 1
        problem += f" (and {more} more {'error' if more == 1 else 'errors'})"
    return SettingsError(shown, _dotted(loc), problem)


def _problem(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "value_error":
        return str(ctx["error"])
    template = _PROBLEMS.get(kind)
    if template is None:
        return error["msg"][:1].lower() + error["msg"][1:]
    return f"{template.format(**ctx)}, got {_show(error['input'])}"


def _dotted(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else part
    return key


def _show(value: object) -> str:
    """Show a TOML value the way the file spells it, briefly."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:59] + "…")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict | list):
        return "a table" if isinstance(value, dict) else "a list"
    return f"a {type(value).__name__}"


def schema_json() -> str:
    """The JSON schema of Settings, as committed in schemas/settings.schema.json."""
    return json.dumps(Settings.model_json_schema(), indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the JSON schema, or check a settings file (exit status 2 if it is refused)."""
    parser = argparse.ArgumentParser(
        prog="python -m refdesk.settings", description="refdesk settings: schema and checks."
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--schema", action="store_true", help="print the JSON schema")
    action.add_argument("--check", metavar="FILE", help="load FILE (and REFDESK_* overrides)")
    args = parser.parse_args(argv)
    if args.schema:
        sys.stdout.write(schema_json())
        return 0
    try:
        settings = load_settings(args.check)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"ok: {settings.library.domain}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
