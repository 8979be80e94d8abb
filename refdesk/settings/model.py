"""The settings of one refdesk deployment, as typed and validated models.

``conf/refdesk.example.toml`` documents every key; ``schemas/settings.schema.json`` is
generated from these models: ``python -m refdesk.settings --schema``.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Annotated, Final, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FilePath,
    SecretStr,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from refdesk.settings.mail import MailSettings

ComponentName = Literal["queue", "faq", "archive", "stats", "coop"]
COMPONENT_NAMES: Final[tuple[str, ...]] = get_args(ComponentName)
PLACEHOLDER_SECRET: Final = "change-me"
MIN_SECRET_LENGTH: Final = 16
MIN_STANZA_BYTES: Final = 1024
ENV_PREFIX: Final = "REFDESK_"
DATABASE_SCHEMES: Final = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_URL: Final = {"pattern": f"^({'|'.join(map(re.escape, DATABASE_SCHEMES))})"}

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DNS_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


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


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise ValueError(
            f"must be an IP address or network such as 10.0.0.0/8, got {_show(value)}"
        ) from None


def _stanza_bytes(value: int) -> int:
    # Below this not even a SASL exchange or a resource binding fits.
    if value < MIN_STANZA_BYTES:
        raise ValueError(f"must be at least {MIN_STANZA_BYTES} bytes, got {value}")
    return value


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


def _public_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ValueError(f"must be an http:// or https:// URL such as https://chat.alpha.example,"
                         f" got {_show(url)}")
    return url.rstrip("/")


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
Count = Annotated[int, Field(gt=0), BeforeValidator(_refuse_bool)]
PrefixLength = Annotated[int, Field(ge=32, le=128), BeforeValidator(_refuse_bool)]
Network = Annotated[str, AfterValidator(_network)]
StanzaBytes = Annotated[
    int,
    BeforeValidator(_refuse_bool),
    AfterValidator(_stanza_bytes),
    WithJsonSchema({"type": "integer", "minimum": MIN_STANZA_BYTES}),
]
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
    """Client-to-server port with STARTTLS, as XMPP clients use it."""
    c2s_direct_tls_port: Port = 5223
    """Client-to-server port with TLS from the first byte (XEP-0368); the gateway's streams."""
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


class QueueSettings(_Section):
    """Routing of patrons' chats (DESIGN.md, Routing semantics)."""

    staff_delay_s: Seconds = 40.0
    """How long after a 24/7 co-op is notified its own staff are too; also when a global
    co-op takes unclaimed chats from a widget whose timed fallback is 0."""
    patron_grace_s: Seconds = 30.0
    """How long a patron whose connection dropped has to come back (the widget resumes the
    chat by itself) before they count as gone: a waiting chat leaves the queue, and the
    librarian of a claimed one is told. A claiming librarian's client that stops answering
    pings has as long to come back (a reloaded console) before the chat goes back to the
    queue."""
    operator_check_s: Seconds = 30.0
    """How often the client of each claiming librarian is pinged (XEP-0199); a client that
    is gone sends the chat back to the queue, and the patron is told."""
    max_open_chats_per_patron: Count = 3
    """Chats one patron (one widget connection) may have waiting or under way at once."""
    operator_silence_s: Seconds = 900.0
    """A claimed chat whose librarian has sent nothing (no line, no typing) for this long
    goes back to the queue, and the patron is told."""


Days = Annotated[int, Field(ge=1), BeforeValidator(_refuse_bool)]


class RetentionSettings(_Section):
    """How long the library keeps its patrons' chats; the archive enforces it on a schedule.
    Unset: kept until an admin deletes them."""

    transcripts_days: Days | None = None
    """Days after a chat ended when its transcript is deleted or anonymised (the action)."""
    transcripts_action: Literal["delete", "anonymise"] = "delete"
    """delete: the chat and everything of it; anonymise: the patron's details go, the
    conversation stays."""
    patron_details_days: Days | None = None
    """Days after a chat ended when the patron's name, email, address and browser (user
    agent, referring page) are stripped; at most transcripts_days."""
    check_every_s: Seconds = 3600.0
    """How often the archive applies the rules."""
    batch: Count = 500
    """Chats changed per transaction, so that a large backlog never locks the archive."""

    @model_validator(mode="after")
    def _details_before_transcripts(self) -> RetentionSettings:
        days, details = self.transcripts_days, self.patron_details_days
        if days is not None and details is not None and details > days:
            raise ValueError(f"patron_details_days ({details}) must be at most "
                             f"transcripts_days ({days}): the transcript is gone by then")
        return self


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
    max_stanza_bytes: StanzaBytes = 65536
    """Largest WebSocket frame or BOSH request body a patron may send, in bytes; refused
    before it is parsed."""
    max_sessions_per_ip: Count = 20
    """Concurrent patron sessions (WebSocket and BOSH together) from one IP address."""
    max_sessions: Count = 2000
    """Concurrent patron sessions in total, from everywhere."""
    max_requests_per_minute_per_ip: Count = 600
    """BOSH requests, WebSocket handshakes and frames from one IP address per minute; a burst
    of a quarter of it is allowed at once."""
    max_connections_per_ip: Count = 60
    """Open HTTP connections from one IP address (trusted proxies are not capped)."""
    max_connections: Count = 4000
    """Open HTTP connections in total."""
    ipv6_prefix_length: PrefixLength = 64
    """IPv6 clients are counted per network of this prefix length, as one address."""
    header_timeout_s: Seconds = 15.0
    """Time a connection has to send a whole request head, from when it opens or was last
    answered; an idle keep-alive connection is closed after it too."""
    body_timeout_s: Seconds = 15.0
    """Time a BOSH request body has to arrive in full once its head has."""
    idle_timeout_s: Seconds = 600.0
    """A WebSocket session that sends nothing for this long is closed (connection-timeout)."""
    session_timeout_s: Seconds = 14400.0
    """The longest a patron session may last, WebSocket or BOSH."""
    bosh_wait_s: Seconds = 60.0
    """Longest a BOSH request is held waiting for data (XEP-0124 'wait'; clients may ask less)."""
    bosh_inactivity_s: Seconds = 60.0
    """A BOSH session with no request outstanding this long is ended (XEP-0124 'inactivity')."""
    bosh_max_pending_bytes: StanzaBytes = 262144
    """Server data a BOSH session keeps for its patron's next request; past it, the gateway
    reads no more of that session's stream until the patron collects it."""
    trusted_proxies: Annotated[
        tuple[Network, ...],
        AfterValidator(_no_duplicates),
        Field(json_schema_extra={"uniqueItems": True}),
    ] = ()
    """Reverse proxies (IP addresses or networks) whose X-Forwarded-For names the client."""
    public_url: Annotated[str, AfterValidator(_public_url)] | None = None
    """The gateway's address as patrons' browsers reach it (behind a proxy), for embed codes;
    unset: http://<address>:<port>."""
    api_session_idle_s: Seconds = 60.0
    """The reports API keeps a librarian's XMPP login this long after their last request."""
    api_max_sessions: Count = 200
    """Librarians logged in through the reports API at once."""
    api_max_failed_logins: Count = 5
    """Failed reports API logins from one IP address in five minutes before it must wait."""


class ProsodySettings(_Section):
    """How `refdesk user` reaches this deployment's Prosody to create and remove accounts."""

    prosodyctl: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = (
        "/usr/bin/prosodyctl")
    """The prosodyctl command (a path, or a name looked up in PATH)."""
    config: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = (
        "/etc/prosody/prosody.cfg.lua")
    """Prosody's configuration file, given to prosodyctl with --config."""


class LogSettings(_Section):
    """Logging."""

    level: LogLevel = "info"
    """Least severe level logged: debug, info, warning or error."""


class Settings(_Section):
    """The whole configuration of one refdesk deployment."""

    library: LibrarySettings
    server: ServerSettings = ServerSettings()
    components: ComponentsSettings
    queue: QueueSettings = QueueSettings()
    retention: RetentionSettings = RetentionSettings()
    database: DatabaseSettings = DatabaseSettings()
    gateway: GatewaySettings = GatewaySettings()
    prosody: ProsodySettings = ProsodySettings()
    log: LogSettings = LogSettings()
    mail: MailSettings = MailSettings()

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


def schema_json() -> str:
    """The JSON schema of Settings, as committed in schemas/settings.schema.json."""
    return json.dumps(Settings.model_json_schema(), indent=2) + "\n"
