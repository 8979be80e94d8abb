"""Transcripts on the wire (schemas/archive.xsd): a search and its paging read from a request,
chats written into a reply. Bad input is an InvalidInput that says what was wrong."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from slixmpp.xmlstream import ET

from components.archive.stanzas import NS, RSM
from refdesk.db.stores.transcripts import Page, Paging, Search, Summary, Transcript
from refdesk.errors import InvalidInput

MAX_TEXT = 200
"""archive.xsd caps a search's text at this many characters."""


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def when(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def instant(value: str | None, what: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"The {what} {value!r} is not a date and time "
                           "(like 2026-03-01T09:00:00Z).") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def score(value: str | None, what: str = "rating") -> int | None:
    """A 1-to-5 score, or None when absent."""
    if value is None or value == "":
        return None
    if not value.isdigit() or not 1 <= int(value) <= 5:
        raise InvalidInput(f"The {what} must be a whole number from 1 to 5, not {value!r}.")
    return int(value)


def read_search(request: ET.Element) -> Search:
    found = request.find(_tag("filter"))
    if found is None:
        return Search()
    text = (found.findtext(_tag("text")) or "").strip() or None
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidInput(f"Search for at most {MAX_TEXT} characters of text.")
    return Search(
        start=instant(found.get("start"), "start"), end=instant(found.get("end"), "end"),
        librarian=found.get("librarian") or None, institution=found.get("institution") or None,
        widget=found.get("widget") or None, coop=found.get("coop") or None,
        rating=score(found.get("rating")), text=text)


def read_paging(request: ET.Element) -> Paging:
    found = request.find(f"{{{RSM}}}set")
    if found is None:
        return Paging()
    size = found.findtext(f"{{{RSM}}}max")
    if size is not None and not size.strip().isdigit():
        raise InvalidInput(f"An RSM max is a whole number, not {size!r}.")
    after, before = found.findtext(f"{{{RSM}}}after"), found.findtext(f"{{{RSM}}}before")
    return Paging(max=Paging.max if size is None else int(size),
                  after=after or None, before=before)


def _attributes(chat: Summary, library: str) -> dict[str, str]:
    values = {
        "id": chat.id, "library": library, "widget": chat.widget,
        "widget-name": chat.widget_name, "state": chat.state.value,
        "requested": when(chat.requested), "claimed": when(chat.claimed),
        "ended": when(chat.ended), "librarian": chat.librarian, "nick": chat.nick,
        "institution": chat.institution, "coops": " ".join(chat.coops) or None,
        "followup": "true" if chat.followup else None,
        "anonymised": "true" if chat.anonymised else None,
    }
    return {key: value for key, value in values.items() if value is not None}


def page_element(page: Page, library: str) -> ET.Element:
    listing = ET.Element(_tag("transcripts"))
    for chat in page.items:
        attributes = _attributes(chat, library)
        if chat.patron and not chat.anonymised:
            attributes["patron"] = chat.patron
        if chat.rating is not None:
            attributes["rating"] = str(chat.rating)
        if chat.feedback:
            attributes["feedback"] = str(chat.feedback)
        summary = ET.SubElement(listing, _tag("summary"), attributes)
        ET.SubElement(summary, _tag("question")).text = chat.question
    listing.append(rsm_set(page))
    return listing


def rsm_set(page: Page) -> ET.Element:
    result = ET.Element(f"{{{RSM}}}set")
    if page.first is not None and page.last is not None:
        ET.SubElement(result, f"{{{RSM}}}first").text = page.first
        ET.SubElement(result, f"{{{RSM}}}last").text = page.last
    ET.SubElement(result, f"{{{RSM}}}count").text = str(page.count)
    return result


def transcript_element(chat: Transcript, library: str, may: Iterable[str]) -> ET.Element:
    summary = chat.summary
    made = ET.Element(_tag("transcript"), {**_attributes(summary, library),
                                           "may": " ".join(may)})
    ET.SubElement(made, _tag("question")).text = summary.question
    patron = {"name": summary.patron, "email": chat.email, "referrer": chat.referrer,
              "user-agent": chat.user_agent}
    if not summary.anonymised and any(patron.values()):
        ET.SubElement(made, _tag("patron"),
                      {key: value for key, value in patron.items() if value})
    for line in chat.lines:
        attributes = {"seq": str(line.seq), "at": when(line.at) or "",
                      "sender": line.sender.value, "nick": line.nick,
                      "edited": when(line.edited), "script": line.script}
        ET.SubElement(made, _tag("line"), {k: v for k, v in attributes.items() if v}
                      ).text = line.body
    if summary.rating is not None:
        ET.SubElement(made, _tag("rating"), {"score": str(summary.rating)}
                      ).text = chat.comment or ""
    for entry in chat.feedback:
        given: dict[str, str] = {"author": entry.author, "at": when(entry.at) or ""}
        if entry.rating is not None:
            given["rating"] = str(entry.rating)
        ET.SubElement(made, _tag("feedback"), given).text = entry.text
    return made
