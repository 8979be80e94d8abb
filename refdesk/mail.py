"""refdesk's email: messages handed to the SMTP relay that [mail] names (aiosmtplib).

A bad address is refused before anything is sent; a relay that cannot be reached, or that
refuses the message, is a MailFailed the librarian reads, and the caller keeps its record
unchanged (a ticket stays answerable).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from refdesk.errors import InvalidInput, Unavailable
from refdesk.settings.mail import MailSettings

log = logging.getLogger(__name__)

MAX_SUBJECT = 200


class MailFailed(Unavailable):
    """The relay could not be reached or refused the message; nothing was sent."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    reply_to: str | None = None


MAX_ADDRESS = 320
UNROUTABLE = "\r\n,\"[]%!"
"""Characters no plain address needs: quoted local parts, domain literals ([127.0.0.1]) and
source routes (% and !) would let a patron's request make the relay mail hosts it should
not."""


def checked_address(value: str) -> str:
    """The address as it will be written, or InvalidInput saying why it is no address."""
    try:
        address = Address(addr_spec=value.strip())
    except (HeaderParseError, ValueError, IndexError):
        raise InvalidInput(f"{value!r} is not an email address.") from None
    if (not address.username or "." not in address.domain or len(value) > MAX_ADDRESS
            or any(c in value for c in UNROUTABLE)):
        raise InvalidInput(f"{value!r} is not an email address.")
    return address.addr_spec


def is_address(value: str) -> bool:
    try:
        checked_address(value)
    except InvalidInput:
        return False
    return True


class Mailer:
    """Sends refdesk's email through the relay of the [mail] settings."""

    def __init__(self, settings: MailSettings) -> None:
        self._settings = settings

    @property
    def sender(self) -> str:
        return self._settings.sender

    def message(self, mail: Mail) -> EmailMessage:
        """The message as it goes out; InvalidInput for a bad recipient."""
        message = EmailMessage()
        message["From"] = self._settings.sender
        message["To"] = checked_address(mail.to)
        message["Subject"] = " ".join(mail.subject.split())[:MAX_SUBJECT]
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = make_msgid(domain=self._settings.sender.rpartition("@")[2])
        if mail.reply_to:
            message["Reply-To"] = checked_address(mail.reply_to)
        message.set_content(mail.body)
        return message

    async def send(self, mail: Mail) -> None:
        """Hand the message to the relay; MailFailed if it could not take it."""
        message = self.message(mail)
        settings = self._settings
        try:
            await aiosmtplib.send(
                message, hostname=settings.host, port=settings.port,
                use_tls=settings.security == "tls", start_tls=settings.security == "starttls",
                username=settings.username,
                password=settings.password.get_secret_value() if settings.password else None,
                timeout=settings.timeout_s)
        except (aiosmtplib.SMTPException, OSError) as error:
            log.warning("mail to the relay %s:%s failed: %s", settings.host, settings.port,
                        error)
            raise MailFailed("The library's mail server could not be reached, so nothing was "
                             "sent; please try again later.") from error
        log.info("mail handed to the relay %s:%s", settings.host, settings.port)
