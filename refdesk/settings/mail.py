"""The [mail] section: the SMTP relay refdesk hands its email to (answers to follow-up
tickets, referrals by email, transcripts by email)."""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    SecretStr,
    WithJsonSchema,
)


def _refuse_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise ValueError(f"must be between 1 and 65535, got {value}")
    return value


def _address(value: str) -> str:
    try:
        parsed = Address(addr_spec=value.strip())
    except (HeaderParseError, ValueError, IndexError):
        raise ValueError(f"must be an email address such as ask@alpha.example, got {value!r}") \
            from None
    if not parsed.username or "." not in parsed.domain:
        raise ValueError(f"must be an email address such as ask@alpha.example, got {value!r}")
    return parsed.addr_spec


MailPort = Annotated[int, BeforeValidator(_refuse_bool), AfterValidator(_port),
                     WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 65535})]
EmailAddress = Annotated[str, AfterValidator(_address),
                         WithJsonSchema({"type": "string", "format": "email"})]


class MailSettings(BaseModel):
    """The SMTP relay that takes refdesk's email: answers to follow-up tickets, referrals by
    email, transcripts by email."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    host: str = "localhost"
    """The relay's host name or IP address."""
    port: MailPort = 25
    """The relay's port: 25 or 587 (starttls), 465 (tls)."""
    security: Literal["none", "starttls", "tls"] = "starttls"
    """none (a relay on this machine), starttls (upgrade after connecting) or tls (TLS from
    the first byte)."""
    username: str | None = None
    """Log in with this name (and password) when the relay requires it."""
    password: SecretStr | None = None
    """Best set in REFDESK_MAIL_PASSWORD."""
    sender: EmailAddress = "refdesk@localhost.localdomain"
    """The From address of every message; replies from patrons come back to it."""
    timeout_s: Annotated[float, BeforeValidator(_refuse_bool)] = 30.0
    """How long to wait for the relay before the librarian is told it is unreachable."""
