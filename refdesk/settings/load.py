"""Reading settings: TOML, then ``REFDESK_*`` overrides, validated once into one-line errors."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, get_origin

from pydantic import (
    ValidationError,
)
from pydantic_core import ErrorDetails

from refdesk.settings.model import _SECTIONS, ENV_PREFIX, Settings, SettingsError, _show


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
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
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
