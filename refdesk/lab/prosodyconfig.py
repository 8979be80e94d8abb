"""Prosody's configuration for one refdesk deployment, rendered from a plain description of it.

The production profile is what a sysadmin installs in /etc/prosody. The lab profile is the same
server with the federation lab's differences: run as root, names from the lab's hosts file,
dialback between peers that do not know the lab's CA, and Prosody's own WebSocket over TLS on
loopback as the gateway benchmark's baseline.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

CONF_DIR = Path(__file__).resolve().parents[2] / "conf" / "prosody"
TEMPLATE = "refdesk.cfg.lua.j2"
WILDCARDS = ("*", "::")
"""Every IPv4 address, every IPv6 address (Prosody's own spelling)."""
MIN_SECRET_LENGTH = 16
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)+[a-z]([a-z0-9-]*[a-z0-9])?$")
_COMPONENT = re.compile(r"^[a-z][a-z0-9-]*$")
_LOG_LEVELS = ("debug", "info", "warn", "error")


@dataclass(frozen=True)
class ProsodySite:
    """One deployment's XMPP server as its sysadmin describes it; the defaults are Debian's."""

    domain: str
    addresses: tuple[str, ...]
    """Where operators' clients and peer servers reach the server: IP addresses, or "*" (every
    IPv4 address) and "::" (every IPv6 address)."""
    certificate: Path
    key: Path
    """PEM files covering the domain and every subdomain (e.g. Let's Encrypt's fullchain.pem
    and privkey.pem, imported with `prosodyctl --root cert import`), readable by Prosody."""
    components: tuple[str, ...]
    """XEP-0114 component names (queue, faq, archive, stats, coop), each at <name>.<domain>."""
    secret: str
    """The components' shared secret, the same as refdesk's [components] secret."""
    guest: bool = True
    """Patrons' anonymous host guest.<domain>: a library has one, a co-op's own host not."""
    local_address: str = "127.0.0.1"
    """The loopback address refdesk's components and gateway connect to ([server] address)."""
    c2s_port: int = 5222
    c2s_direct_tls_port: int = 5223
    s2s_port: int = 5269
    component_port: int = 5347
    data_dir: Path = Path("/var/lib/prosody")
    run_dir: Path = Path("/run/prosody")
    log_dir: Path = Path("/var/log/prosody")
    log_level: str = "info"
    hosts_file: Path | None = None
    """Names resolved from this file (/etc/hosts syntax) instead of DNS, for a private network
    or a test without DNS: unbound's hoststxt. None: DNS, as on the Internet."""
    ca_file: Path | None = None
    """An extra CA bundle that peers' certificates may chain to, besides the system's (a
    private network's own CA); peers must still present certificates that verify."""

    def __post_init__(self) -> None:
        for problem in _problems(self):
            raise ValueError(problem)

    @property
    def muc(self) -> str:
        return f"conference.{self.domain}"

    @property
    def guest_host(self) -> str | None:
        return f"guest.{self.domain}" if self.guest else None

    @property
    def component_domains(self) -> tuple[str, ...]:
        return tuple(f"{name}.{self.domain}" for name in self.components)

    @property
    def c2s_interfaces(self) -> tuple[str, ...]:
        """The public addresses, and the loopback one the gateway uses unless they cover it."""
        local = ipaddress.ip_address(self.local_address)
        wildcard = "*" if local.version == 4 else "::"
        if self.local_address in self.addresses or wildcard in self.addresses:
            return self.addresses
        return (*self.addresses, self.local_address)


@dataclass(frozen=True)
class LabOptions:
    """What only the federation lab has."""

    hosts_file: Path
    """Every lab domain and subdomain with its loopback address, read instead of DNS."""
    websocket_port: int
    """Prosody's own mod_websocket, over TLS on the site's loopback address only: the baseline
    bench/gateway.py measures the gateway against. Patrons never use it."""


def _problems(site: ProsodySite) -> list[str]:
    problems = []
    if not _DOMAIN.match(site.domain):
        problems.append(f"domain must be a lower-case DNS name, got {site.domain!r}")
    if not site.addresses:
        problems.append("addresses must name at least one address, or '*'")
    problems += [f"address must be an IP address or one of {WILDCARDS}, got {address!r}"
                 for address in site.addresses if not _is_address(address)]
    if not _is_loopback(site.local_address):
        problems.append(f"local_address must be a loopback address, got {site.local_address!r}")
    problems += [f"{name} must be an absolute path, got {str(path)!r}"
                 for name, path in (("certificate", site.certificate), ("key", site.key),
                                    ("data_dir", site.data_dir), ("run_dir", site.run_dir),
                                    ("log_dir", site.log_dir), ("hosts_file", site.hosts_file),
                                    ("ca_file", site.ca_file))
                 if path is not None and not path.is_absolute()]
    problems += [f"component name must be like 'queue', got {name!r}"
                 for name in site.components if not _COMPONENT.match(name)]
    if len(site.secret) < MIN_SECRET_LENGTH:
        problems.append(f"secret must be at least {MIN_SECRET_LENGTH} characters")
    ports = (site.c2s_port, site.c2s_direct_tls_port, site.s2s_port, site.component_port)
    if len(set(ports)) != len(ports) or not all(0 < port < 65536 for port in ports):
        problems.append(f"ports must be distinct, from 1 to 65535, got {ports}")
    if site.log_level not in _LOG_LEVELS:
        problems.append(f"log_level must be one of {_LOG_LEVELS}, got {site.log_level!r}")
    return problems


def _is_address(value: str) -> bool:
    if value in WILDCARDS:
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_loopback(value: str) -> bool:
    if not _is_address(value) or value in WILDCARDS:
        return False
    return ipaddress.ip_address(value).is_loopback


def lua_string(value: object) -> str:
    """A Lua string literal for value: nothing a sysadmin types can end the string early."""
    def escape(char: str) -> str:
        if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F:
            return f"\\{ord(char):03d}"
        return char

    return '"' + "".join(escape(char) for char in str(value)) + '"'


def lua_list(values: object) -> str:
    """A Lua list of string literals."""
    assert isinstance(values, tuple | list)
    return "{ " + "".join(f"{lua_string(value)}; " for value in values) + "}"


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(CONF_DIR), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False,
    )
    environment.filters["lua"] = lua_string
    environment.filters["lua_list"] = lua_list
    return environment


def render_production(site: ProsodySite) -> str:
    """/etc/prosody/prosody.cfg.lua for site."""
    return _environment().get_template(TEMPLATE).render(site=site, lab=None)


def render_lab(site: ProsodySite, lab: LabOptions) -> str:
    """The lab's configuration for site, whose every address must be loopback."""
    outside = [address for address in site.addresses if not _is_loopback(address)]
    if outside:
        raise ValueError(f"lab addresses must be loopback (127.0.0.0/8), got {outside}")
    ports = (site.c2s_port, site.c2s_direct_tls_port, site.s2s_port, site.component_port)
    if lab.websocket_port in ports:
        raise ValueError(f"websocket_port {lab.websocket_port} is already one of {ports}")
    return _environment().get_template(TEMPLATE).render(site=site, lab=lab)
