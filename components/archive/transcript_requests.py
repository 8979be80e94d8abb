"""The transcript requests of urn:refdesk:archive:0: list, show, edit a line, delete, leave
feedback. Every one asks the readers who the asker is first; a chat the asker may not see
is answered exactly as one that does not exist."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.archive.access import Action
from components.archive.readers import Readers
from components.archive.stanzas import NS, route
from components.archive.wire import (
    page_element,
    read_paging,
    read_search,
    score,
    transcript_element,
)
from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from refdesk.errors import InvalidInput

MAX_LINE = 10_000
"""An edited line or a feedback text is at most this many characters."""


class TranscriptRequests:
    def __init__(self, xmpp: ComponentXMPP, readers: Readers, library: str) -> None:
        self.xmpp, self.readers, self.library = xmpp, readers, library
        self.store = readers.store

    def register(self) -> None:
        register_iq_routes(self.xmpp, {
            route("get", "transcripts"): self._handle_transcripts,
            route("get", "transcript"): self._handle_transcript,
            route("set", "edit"): self._handle_edit,
            route("set", "delete"): self._handle_delete,
            route("set", "feedback"): self._handle_feedback,
        })

    @xmpp_errors
    async def _handle_transcripts(self, iq: Iq) -> None:
        request = _payload(iq, "transcripts")
        reader = await self.readers.reader(iq["from"].bare)
        page = await self.store.search(reader.visible, read_search(request),
                                       read_paging(request))
        _reply(iq, page_element(page, self.library))

    @xmpp_errors
    async def _handle_transcript(self, iq: Iq) -> None:
        chat_id = _chat_id(_payload(iq, "transcript"))
        reader = await self.readers.reader(iq["from"].bare)
        chat = await self.readers.visible_chat(reader, chat_id)
        transcript = await self.store.get(chat.id)
        _reply(iq, transcript_element(transcript, self.library, reader.may(chat)))

    @xmpp_errors
    async def _handle_edit(self, iq: Iq) -> None:
        request = _payload(iq, "edit")
        chat_id, seq = _chat_id(request), request.get("seq", "")
        if not seq.isdigit() or int(seq) < 1:
            raise InvalidInput(f"A line is named by its seq, a number from 1; not {seq!r}.")
        reader = await self.readers.reader(iq["from"].bare)
        await self.readers.managed_chat(reader, chat_id, Action.EDIT)
        await self.store.edit(chat_id, int(seq), _text(request, "line"), reader.jid)
        _reply(iq)

    @xmpp_errors
    async def _handle_delete(self, iq: Iq) -> None:
        chat_id = _chat_id(_payload(iq, "delete"))
        reader = await self.readers.reader(iq["from"].bare)
        await self.readers.managed_chat(reader, chat_id, Action.DELETE)
        await self.store.delete(chat_id)
        _reply(iq)

    @xmpp_errors
    async def _handle_feedback(self, iq: Iq) -> None:
        request = _payload(iq, "feedback")
        chat_id, rating = _chat_id(request), score(request.get("rating"))
        reader = await self.readers.reader(iq["from"].bare)
        await self.readers.managed_chat(reader, chat_id, Action.FEEDBACK)
        await self.store.leave_feedback(chat_id, reader.jid, _text(request, "feedback"),
                                        rating)
        _reply(iq)


def _payload(iq: Iq, name: str) -> ET.Element:
    element = iq.xml.find(f"{{{NS}}}{name}")
    assert element is not None  # the route matched on it
    return element


def _chat_id(request: ET.Element) -> str:
    chat_id = request.get("id", "")
    if not chat_id or len(chat_id) > 64:
        raise InvalidInput("Name the chat by its id (the id attribute).")
    return chat_id


def _text(request: ET.Element, what: str) -> str:
    text = (request.text or "").strip()
    if not text:
        raise InvalidInput(f"The {what}'s text is empty.")
    if len(text) > MAX_LINE:
        raise InvalidInput(f"The {what}'s text is longer than {MAX_LINE} characters.")
    return text


def _reply(iq: Iq, payload: ET.Element | None = None) -> None:
    reply = iq.reply(clear=True)
    if payload is not None:
        reply.xml.append(payload)
    reply.send()
