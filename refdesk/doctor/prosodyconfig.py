"""What doctor needs from a Prosody configuration file, read without running Lua.

It understands the subset `refdesk init` writes and sysadmins commonly add: `name = value`
options (strings, numbers, booleans, tables of them), and `VirtualHost`/`Component` sections,
whose options apply to that host only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', re.S)
_ESCAPE = re.compile(r"\\(\d{1,3}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_SECTION = re.compile(r'^(VirtualHost|Component)\s*(?:"([^"]*)"|\'([^\']*)\')')
_OPTION = re.compile(r"^([A-Za-z_]\w*)\s*=\s*")
_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.isdigit():
        return chr(int(code))
    return _SIMPLE_ESCAPES.get(code, code)


def lua_strings(raw: str) -> list[str]:
    """Every string literal in a raw Lua value, unescaped, in order."""
    return [_ESCAPE.sub(_unescape, double if double is not None else single)
            for double, single in (match.groups() for match in _STRING.finditer(raw))]


def lua_numbers(raw: str) -> list[int]:
    """Every integer in a raw Lua value outside its strings, in order."""
    return [int(number) for number in _NUMBER.findall(_STRING.sub('""', raw))]


def table_field(raw: str, key: str) -> str | None:
    """The string value of `key = "…"` inside a raw Lua table."""
    match = re.search(rf"(?<![\w.]){re.escape(key)}\s*=\s*({_STRING.pattern})", raw, re.S)
    return lua_strings(match.group(1))[0] if match else None


def _strip_comments(text: str) -> str:
    """The text with `--` comments blanked out, strings left alone."""
    out: list[str] = []
    index, quote = 0, ""
    while index < len(text):
        char = text[index]
        if quote:
            out.append(char)
            if char == "\\" and index + 1 < len(text):
                out.append(text[index + 1])
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            out.append(char)
        elif text.startswith("--", index):
            index = _comment_end(text, index)
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _comment_end(text: str, start: int) -> int:
    if text.startswith("--[[", start):
        end = text.find("]]", start)
        return len(text) if end < 0 else end + 2
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _value_end(text: str, start: int) -> int:
    """Where the Lua value starting at `start` ends: a balanced table, or the line's end."""
    if not text.startswith("{", start):
        end = text.find("\n", start)
        return len(text) if end < 0 else end
    depth, index = 0, start
    while index < len(text):
        match = _STRING.match(text, index)
        if match:
            index = match.end()
            continue
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        index += 1
        if depth == 0:
            break
    return index


@dataclass
class ProsodyConfig:
    """Options as raw Lua text: the global ones, and each host's own."""

    path: Path
    options: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, dict[str, str]] = field(default_factory=dict)
    """VirtualHost and Component names -> their own options."""
    components: list[str] = field(default_factory=list)
    """Hosts declared with `Component "name"` (no plugin name: external, XEP-0114)."""

    def strings(self, name: str) -> list[str]:
        return lua_strings(self.options.get(name, ""))

    def numbers(self, name: str) -> list[int]:
        return lua_numbers(self.options.get(name, ""))

    def string(self, name: str, host: str | None = None) -> str | None:
        """A string option of host (falling back to the global one), or None."""
        raw = self.hosts.get(host, {}).get(name) if host else None
        values = lua_strings(raw if raw is not None else self.options.get(name, ""))
        return values[0] if values else None

    def table_string(self, name: str, key: str) -> str | None:
        return table_field(self.options.get(name, ""), key)


def parse_prosody_config(text: str, path: Path) -> ProsodyConfig:
    """Read the options and host sections of a Prosody configuration's text."""
    config = ProsodyConfig(path)
    text = _strip_comments(text)
    scope = config.options
    index = 0
    while index < len(text):
        rest = text[index:]
        stripped = rest.lstrip()
        index += len(rest) - len(stripped)
        if not stripped:
            break
        if section := _SECTION.match(stripped):
            name = (section.group(2) or section.group(3) or "").lower()
            scope = config.hosts.setdefault(name, {})
            tail = stripped[section.end():].split("\n", 1)[0]
            if section.group(1) == "Component" and not lua_strings(tail):
                config.components.append(name)
            index += section.end()
        elif option := _OPTION.match(stripped):
            end = _value_end(text, index + option.end())
            scope[option.group(1)] = text[index + option.end():end].strip().rstrip(";")
            index = end
        else:
            end = text.find("\n", index)
            index = len(text) if end < 0 else end + 1
    return config


def read_prosody_config(path: Path) -> ProsodyConfig:
    """Parse the file at path; OSError when it cannot be read."""
    return parse_prosody_config(path.read_text(encoding="utf-8", errors="replace"), path)
