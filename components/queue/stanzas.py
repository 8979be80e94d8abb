"""The payloads of urn:refdesk:queue:0 (schemas/queue.xsd), as slixmpp stanza plugins."""

from __future__ import annotations

from slixmpp import Iq, Message
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

NS = "urn:refdesk:queue:0"


class Request(ElementBase):
    """A patron asks for a chat on a widget."""

    name = "request"
    namespace = NS
    plugin_attrib = "refdesk_request"
    interfaces = {"widget", "question", "name", "email", "referrer", "user-agent"}
    sub_interfaces = {"question", "name", "email", "referrer", "user-agent"}


class Ticket(ElementBase):
    """A question left while the widget is offline; the result carries the ticket's id."""

    name = "ticket"
    namespace = NS
    plugin_attrib = "refdesk_ticket"
    interfaces = {"widget", "id", "question", "name", "email"}
    sub_interfaces = {"question", "name", "email"}


class ChatRef(ElementBase):
    """The chat a request opened: its own JID."""

    name = "chat"
    namespace = NS
    plugin_attrib = "refdesk_chat"
    interfaces = {"jid", "token"}


class Resume(ElementBase):
    """The patron's new connection takes the chat over; `after` is the last line seen."""

    name = "resume"
    namespace = NS
    plugin_attrib = "refdesk_resume"
    interfaces = {"token", "after"}

    def get_after(self) -> int:
        value = str(self._get_attr("after") or "0")
        return int(value) if value.isdigit() else 0


class QueueStatus(ElementBase):
    """A waiting patron's place in the queue and estimated wait in seconds."""

    name = "queue-status"
    namespace = NS
    plugin_attrib = "refdesk_queue_status"
    interfaces = {"position", "time"}
    sub_interfaces = interfaces

    def get_position(self) -> int:
        return int(str(self._get_sub_text("position") or 0))

    def set_position(self, value: int) -> None:
        self._set_sub_text("position", str(value))

    def get_time(self) -> int:
        return int(str(self._get_sub_text("time") or 0))

    def set_time(self, value: int) -> None:
        self._set_sub_text("time", str(value))


class Claimed(ElementBase):
    name = "claimed"
    namespace = NS
    plugin_attrib = "refdesk_claimed"
    interfaces = {"nick", "institution"}


class Cancel(ElementBase):
    name = "cancel"
    namespace = NS
    plugin_attrib = "refdesk_cancel"


class Ended(ElementBase):
    name = "ended"
    namespace = NS
    plugin_attrib = "refdesk_ended"
    interfaces = {"by"}


class Rating(ElementBase):
    """A patron's score (1-5) of an ended chat, with the comment as text."""

    name = "rating"
    namespace = NS
    plugin_attrib = "refdesk_rating"
    interfaces = {"score", "comment"}

    def get_score(self) -> int | None:
        """The score, or None when it is missing or not a whole number."""
        try:
            return int(self._get_attr("score"))
        except ValueError:
            return None

    def set_score(self, value: int) -> None:
        self._set_attr("score", str(value))

    def get_comment(self) -> str:
        return self.xml.text or ""

    def set_comment(self, value: str) -> None:
        self.xml.text = value

    def del_comment(self) -> None:
        self.xml.text = None


class Status(ElementBase):
    """Widget status: asked with `widget`, answered and pushed with `online`."""

    name = "status"
    namespace = NS
    plugin_attrib = "refdesk_status"
    interfaces = {"widget", "online"}


class Offer(ElementBase):
    """A chat offered to operators; `home` marks a direct offer to the patron's library."""

    name = "offer"
    namespace = NS
    plugin_attrib = "refdesk_offer"
    interfaces = {"chat", "library", "widget", "home", "transfer"}


class Taken(ElementBase):
    name = "taken"
    namespace = NS
    plugin_attrib = "refdesk_taken"
    interfaces = {"chat", "nick", "institution"}


class Withdrawn(ElementBase):
    name = "withdrawn"
    namespace = NS
    plugin_attrib = "refdesk_withdrawn"
    interfaces = {"chat"}


class Requeued(ElementBase):
    """The librarian left or fell silent: the chat waits in the queue again."""

    name = "requeued"
    namespace = NS
    plugin_attrib = "refdesk_requeued"
    interfaces = {"reason"}


class Transferred(ElementBase):
    """The chat moved on; the text is the operator's optional note."""

    name = "transferred"
    namespace = NS
    plugin_attrib = "refdesk_transferred"
    interfaces = {"to", "note"}

    def get_note(self) -> str:
        return self.xml.text or ""

    def set_note(self, value: str) -> None:
        self.xml.text = value

    def del_note(self) -> None:
        self.xml.text = None


def register_stanzas() -> None:
    """Attach every payload to the stanza it travels in."""
    in_iqs: tuple[type[ElementBase], ...] = (
        Request, Ticket, ChatRef, Resume, Cancel, Ended, Rating, Status,
    )
    in_messages: tuple[type[ElementBase], ...] = (
        QueueStatus, Claimed, Ended, Status, Offer, Taken, Withdrawn, Requeued,
        Transferred,
    )
    for payload in in_iqs:
        register_stanza_plugin(Iq, payload)
    for payload in in_messages:
        register_stanza_plugin(Message, payload)
