"""The demo federation: three libraries, a local co-op and a 24/7 co-op with its own staff.

Pure data. Addresses are derived from one base loopback address so that two labs can run
side by side; passwords and secrets are drawn fresh for every lab.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field, replace

COMPONENT_NAMES = ("queue", "faq", "archive", "stats")
COORDINATING_COMPONENT_NAMES = ("queue",)
"""A co-op's coordinating host has no patrons of its own; its queue gives its staff their desk
in the console."""


@dataclass(frozen=True)
class Operator:
    """A librarian account on one site's server."""

    user: str
    name: str
    password: str
    local_admin: bool = False
    coops: dict[str, str] = field(default_factory=dict)
    """Co-op id -> co-op account level (regular, institution-admin, coop-admin)."""
    quality: tuple[str, ...] = ()
    """The co-ops whose Quality team they are on."""


@dataclass(frozen=True)
class Department:
    name: str
    slug: str


@dataclass(frozen=True)
class Widget:
    id: str
    name: str
    routing: tuple[tuple[str, str], ...]
    """Ordered (kind, target) pairs: ("department", name), ("operator", jid), ("coop", id)."""
    fallback_s: int = 30
    keep_transcript: bool = True
    """False: the chat runs as ever, and only the co-op's summary outlives it."""


@dataclass(frozen=True)
class Site:
    """One XMPP domain with its own Prosody: a library, or a 24/7 co-op's coordinating host."""

    domain: str
    name: str
    kind: str
    address: str
    operators: tuple[Operator, ...]
    departments: tuple[Department, ...] = ()
    widgets: tuple[Widget, ...] = ()
    hosts_coops: tuple[str, ...] = ()
    retention: tuple[tuple[str, int], ...] = ()
    """The library's [retention] days, if it has rules: its archive checks them every second
    in the lab."""
    c2s_port: int = 5222
    c2s_direct_tls_port: int = 5223
    component_port: int = 5347
    prosody_websocket_port: int = 5281
    """Prosody's own mod_websocket (TLS, loopback): bench/gateway.py's baseline only."""
    gateway_port: int = 8080

    @property
    def is_library(self) -> bool:
        return self.kind != "coordinating"

    @property
    def muc(self) -> str:
        return f"conference.{self.domain}"

    @property
    def guest_host(self) -> str | None:
        return f"guest.{self.domain}" if self.is_library else None

    @property
    def component_names(self) -> tuple[str, ...]:
        own = COMPONENT_NAMES if self.is_library else COORDINATING_COMPONENT_NAMES
        return own + (("coop",) if self.hosts_coops else ())

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(f"{name}.{self.domain}" for name in self.component_names)

    @property
    def subdomains(self) -> tuple[str, ...]:
        guest = (self.guest_host,) if self.guest_host else ()
        return (self.muc, *guest, *self.components)

    def jid(self, operator: Operator) -> str:
        return f"{operator.user}@{self.domain}"


@dataclass(frozen=True)
class Coop:
    id: str
    name: str
    kind: str
    """global (a 24/7 co-op with its own staff) or local."""
    host: str
    members: tuple[tuple[str, bool], ...]
    """(library domain, contributing)."""

    @property
    def room(self) -> str:
        return f"{self.id}@conference.{self.host}"

    @property
    def component(self) -> str:
        return f"coop.{self.host}"


@dataclass(frozen=True)
class Federation:
    sites: tuple[Site, ...]
    coops: tuple[Coop, ...]

    @property
    def libraries(self) -> tuple[Site, ...]:
        return tuple(site for site in self.sites if site.is_library)

    def site(self, domain: str) -> Site:
        return next(site for site in self.sites if site.domain == domain)

    def coops_of(self, domain: str) -> tuple[Coop, ...]:
        """The co-ops a site belongs to or hosts."""
        return tuple(
            coop for coop in self.coops
            if coop.host == domain or any(member == domain for member, _ in coop.members)
        )


def _password() -> str:
    return secrets.token_urlsafe(9)


def _desk_staff(names: tuple[str, ...], coops: dict[str, str]) -> tuple[Operator, ...]:
    """Regular operators: user name from the first name, e.g. "Ada Ames" -> ada."""
    return tuple(Operator(name.split()[0].lower(), name, _password(), coops=dict(coops))
                 for name in names)


def sample_federation(base_address: str = "127.0.0.2",
                      fallback_s: int | None = None) -> Federation:
    """The demo federation, its sites on consecutive loopback addresses from base_address.

    fallback_s replaces the widgets' co-op timed fallback period (where it is not 0), so
    that tests need not wait the default 30 s."""
    base = ipaddress.IPv4Address(base_address)
    if not base.is_loopback:
        raise ValueError(f"lab addresses must be loopback (127.0.0.0/8), got {base_address}")
    address = [str(base + offset) for offset in range(4)]
    coop_local = Coop(
        "coop-local", "Valley Libraries Co-op", "local", "alpha.test",
        (("alpha.test", True), ("beta.test", True)),
    )
    coop_247 = Coop(
        "coop-247", "24/7 Reference", "global", "coop.test",
        (("alpha.test", True), ("beta.test", True), ("gamma.test", False)),
    )
    alpha = Site(
        "alpha.test", "Alpha University Library", "academic", address[0],
        operators=(
            Operator("ann", "Ann Archer", _password(), local_admin=True,
                     coops={"coop-local": "coop-admin", "coop-247": "institution-admin"}),
            Operator("abe", "Abe Alvarez", _password(),
                     coops={"coop-local": "regular", "coop-247": "regular"}),
            *_desk_staff(("Ada Ames", "Ari Aoki", "Ava Adler", "Amir Azadi", "Alma Ortiz",
                          "Asa Abbott"), {"coop-local": "regular", "coop-247": "regular"}),
        ),
        departments=(Department("Reference", "reference"), Department("Science", "science")),
        widgets=(
            Widget("alpha-main", "Ask Alpha", (
                ("department", "Reference"), ("coop", "coop-local"), ("coop", "coop-247"),
            )),
            Widget("alpha-science", "Ask a Science Librarian", (
                ("department", "Science"), ("operator", "abe@alpha.test"),
            ), fallback_s=0),
            Widget("alpha-private", "Ask Alpha in Confidence", (("coop", "coop-247"),),
                   keep_transcript=False),
        ),
        hosts_coops=("coop-local",),
    )
    beta = Site(
        "beta.test", "Beta Public Library", "public", address[1],
        operators=(
            Operator("bea", "Bea Brooks", _password(), local_admin=True,
                     coops={"coop-local": "institution-admin", "coop-247": "institution-admin"}),
            Operator("ben", "Ben Baker", _password(),
                     coops={"coop-local": "regular", "coop-247": "regular"}),
            *_desk_staff(("Bo Berg", "Bianca Bell", "Basil Byrne", "Brit Boyd", "Bruno Bauer",
                          "Bela Banks"), {"coop-local": "regular", "coop-247": "regular"}),
        ),
        departments=(Department("Adult Services", "adult-services"),),
        widgets=(Widget("beta-main", "Ask Beta", (
            ("department", "Adult Services"), ("coop", "coop-local"), ("coop", "coop-247"),
        )),),
    )
    gamma = Site(
        "gamma.test", "Gamma County Library", "public", address[2],
        operators=(
            Operator("gus", "Gus Green", _password(), local_admin=True,
                     coops={"coop-247": "institution-admin"}),
            *_desk_staff(("Gia Grant", "Gil Gomez", "Greta Gray", "Gabe Giles", "Gwen Gill",
                          "Glen Gates"), {"coop-247": "regular"}),
        ),
        departments=(Department("Information Desk", "information-desk"),),
        widgets=(Widget("gamma-main", "Ask Gamma", (
            ("department", "Information Desk"), ("coop", "coop-247"),
        ), fallback_s=0),),
        # Far back, so that no other story's chats are touched: a test backdates its own.
        retention=(("patron_details_days", 1825), ("transcripts_days", 3650)),
    )
    host_247 = Site(
        "coop.test", "24/7 Reference Co-op", "coordinating", address[3],
        operators=(
            Operator("sam", "Sam Sloane", _password(), coops={"coop-247": "coop-admin"}),
            Operator("sue", "Sue Sato", _password(), coops={"coop-247": "regular"},
                     quality=("coop-247",)),
        ),
        hosts_coops=("coop-247",),
    )
    sites: tuple[Site, ...] = (alpha, beta, gamma, host_247)
    if fallback_s is not None:
        sites = tuple(_with_fallback(site, fallback_s) for site in sites)
    return Federation(sites, (coop_local, coop_247))


def _with_fallback(site: Site, fallback_s: int) -> Site:
    widgets = tuple(
        replace(widget, fallback_s=fallback_s) if widget.fallback_s else widget
        for widget in site.widgets
    )
    return replace(site, widgets=widgets)
