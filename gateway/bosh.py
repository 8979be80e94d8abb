"""BOSH (XEP-0124, XEP-0206) at /http-bind: HTTP requests in, BOSH sessions out.

Errors follow XEP-0124 section 17: a terminal binding condition in a <body type='terminate'/>.
HTTP statuses add what a browser can see without parsing: 403 for a page whose origin is not
allowed, 413 for a body over the size limit, 429 for too many requests or sessions from one
address, 503 (with the stream error a WebSocket patron would get) when the gateway is full.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final, cast

from aiohttp import web
from lxml import etree

from gateway import refusals
from gateway.boshregistry import new_sid
from gateway.boshsession import BOSH_NS, XBOSH_NS, BoshParams, BoshRequest, BoshSession
from gateway.framing import CLIENT_NS, XML_LANG, stream_error
from gateway.keys import (
    BLOCKS,
    BOSH_SESSIONS,
    LIMITER,
    ORIGINS,
    PROXIES,
    REFUSALS,
    SETTINGS,
    UPSTREAM,
)
from gateway.limits import client_ip
from gateway.refusals import Refusal
from gateway.ridwindow import RidRejected
from gateway.upstream import Upstream, UpstreamError
from gateway.xmlguard import XmlRefused, parse_frame, serialize

log = logging.getLogger(__name__)

BODY_TAG: Final = f"{{{BOSH_NS}}}body"
MAX_HOLD: Final = 1
POLLING_S: Final = 2.0
MIN_WAIT_S: Final = 1.0  # a shorter wait only turns the client into a busy poller
MAX_RID: Final = 2**53 - 1  # XEP-0124 section 7.1: rids stay below 2^53
RETRY_AFTER_S: Final = "10"
_XML: Final = "text/xml; charset=utf-8"
# lxml takes None for the default namespace; its stubs only know prefixes.
_CLIENT_NSMAP: Final = cast(dict[str, str], {None: CLIENT_NS})


class BoshError(Exception):
    """A request the gateway answers with a terminal binding condition; `payload` is XML for
    inside the <body/>, `refusal` the limit it ran into, if any."""

    def __init__(self, condition: str, status: int = 200, payload: str = "",
                 refusal: Refusal | None = None) -> None:
        super().__init__(condition)
        self.condition, self.status = condition, status
        self.payload, self.refusal = payload, refusal

    @classmethod
    def refused(cls, refusal: Refusal) -> BoshError:
        """policy-violation for the client's own excess; when the gateway is full, the stream
        error a WebSocket patron would get, as XEP-0206 section 6 carries one."""
        if refusal.condition == "policy-violation":
            return cls("policy-violation", refusal.status, refusal=refusal)
        return cls("remote-stream-error", refusal.status,
                   stream_error(refusal.condition, refusal.text), refusal)

    @property
    def cause(self) -> Refusal | str:
        return self.refusal or f"BOSH {self.condition} (HTTP {self.status})"


def terminal_body(condition: str, payload: str = "") -> bytes:
    opening = f'<body xmlns="{BOSH_NS}" type="terminate" condition="{condition}"'
    return (f"{opening}>{payload}</body>" if payload else f"{opening}/>").encode()


def _terminal(error: BoshError, headers: dict[str, str]) -> web.Response:
    if error.status in (429, 503):
        headers = headers | {"Retry-After": RETRY_AFTER_S}
    return web.Response(body=terminal_body(error.condition, error.payload), status=error.status,
                        headers=headers | {"Content-Type": _XML, "Cache-Control": "no-store"})


async def _cors(request: web.Request) -> dict[str, str] | None:
    """CORS answer headers for an allowed page (none needed without Origin); None if refused."""
    origin = request.headers.get("Origin")
    if not await request.app[ORIGINS].allows(origin, request.host):
        return None
    return {} if origin is None else {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


async def preflight(request: web.Request) -> web.Response:
    """CORS preflight: browsers ask before POSTing text/xml from another origin."""
    headers = await _cors(request)
    if headers is None:
        raise web.HTTPForbidden(text="this page's origin may not use this chat service")
    return web.Response(status=204, headers=headers | {
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "86400",
    })


async def http_bind(request: web.Request) -> web.Response:
    headers = await _cors(request)
    try:
        if headers is None:
            raise BoshError("policy-violation", 403)
        if not request.app[LIMITER].allow_request(_ip(request)):
            raise BoshError.refused(refusals.REQUESTS_PER_ADDRESS)
        body = await _dispatch(request, await _read_body(request))
    except BoshError as error:
        request.app[REFUSALS].refused(error.cause, _ip(request))
        return _terminal(error, headers or {})
    return web.Response(body=body, headers=(headers or {}) | {
        "Content-Type": _XML, "Cache-Control": "no-store"})


def _ip(request: web.Request) -> str:
    return client_ip(request, request.app[PROXIES])


async def _read_body(request: web.Request) -> bytes:
    """The request body, refused as soon as it grows past the stanza limit (413), or when it
    takes longer than the body timeout (408): a slowly sent body holds a connection."""
    settings = request.app[SETTINGS].gateway
    limit = settings.max_stanza_bytes
    if request.content_length is not None and request.content_length > limit:
        raise BoshError("policy-violation", 413)
    chunks, size = [], 0
    try:
        async with asyncio.timeout(settings.body_timeout_s):
            async for chunk in request.content.iter_chunked(8192):
                size += len(chunk)
                if size > limit:
                    raise BoshError("policy-violation", 413)
                chunks.append(chunk)
    except TimeoutError:
        raise BoshError.refused(refusals.SLOW_BODY) from None
    return b"".join(chunks)


async def _dispatch(request: web.Request, data: bytes) -> bytes:
    body = _parse(data, request.app[SETTINGS].gateway.max_stanza_bytes)
    sid = body.get("sid")
    if sid is None:
        return await _create(request, body)
    session = request.app[BOSH_SESSIONS].get(sid)
    if session is None:
        raise BoshError("item-not-found")
    try:
        return await session.handle(_request(body))
    except RidRejected as error:
        log.info("BOSH session ended: %s", error)
        await session.terminate("item-not-found")
        raise BoshError("item-not-found") from None


def _parse(data: bytes, max_bytes: int) -> etree._Element:
    try:
        body = parse_frame(data, max_bytes)
    except XmlRefused as refused:
        log.debug("BOSH body refused: %s", refused)  # counted with the other bad requests
        raise BoshError("bad-request", 400) from None
    if body.tag != BODY_TAG:
        raise BoshError("bad-request", 400)
    return body


def _request(body: etree._Element) -> BoshRequest:
    return BoshRequest(
        rid=_rid(body), stanzas=tuple(_stanza(child) for child in body),
        restart=body.get(f"{{{XBOSH_NS}}}restart") == "true",
        terminate=body.get("type") == "terminate",
    )


def _rid(body: etree._Element) -> int:
    try:
        rid = int(body.get("rid", ""))
    except ValueError:
        raise BoshError("bad-request", 400) from None
    if not 0 < rid <= MAX_RID:
        raise BoshError("bad-request", 400)
    return rid


def _stanza(child: etree._Element) -> bytes:
    """A stanza for the server; unqualified ones (in the body's namespace) become jabber:client,
    as XEP-0206 section 2 notes many clients expect."""
    if not isinstance(child.tag, str):
        raise BoshError("bad-request", 400)
    if etree.QName(child).namespace == BOSH_NS:
        child = _requalified(child)
    return serialize(child)


def _requalified(element: etree._Element) -> etree._Element:
    copy = etree.Element(f"{{{CLIENT_NS}}}{etree.QName(element).localname}",
                         nsmap=_CLIENT_NSMAP)
    for name, value in element.attrib.items():
        copy.set(name, value)
    copy.text = element.text
    for child in list(element):  # appending moves a child out of `element`
        inner = _requalified(child) if etree.QName(child).namespace == BOSH_NS else child
        copy.append(inner)
        inner.tail = child.tail
    return copy


async def _create(request: web.Request, body: etree._Element) -> bytes:
    """Session creation (XEP-0124 section 7.1): one of the IP's slots, then the server."""
    app, ip = request.app, _ip(request)
    rid = _rid(body)
    params = _params(request, body)
    if app[BLOCKS].refuses_stream(ip, params.to):
        raise BoshError.refused(refusals.BLOCKED)
    if refusal := app[LIMITER].open_session(ip):
        raise BoshError.refused(refusal)
    try:
        upstream = await Upstream.connect(app[UPSTREAM], params.to)
    except UpstreamError:
        app[LIMITER].close_session(ip)
        raise BoshError("remote-connection-failed") from None
    upstream.open_stream(params.to, params.lang)
    session = BoshSession(new_sid(), ip, upstream, params, rid,
                          max_pending=app[SETTINGS].gateway.bosh_max_pending_bytes)
    app[BOSH_SESSIONS].add(session)
    upstream.on_bound = lambda jid: app[BLOCKS].bound(
        jid, ip, lambda: session.terminate("policy-violation"))
    session.start()
    return await session.handle(BoshRequest(rid))


def _params(request: web.Request, body: etree._Element) -> BoshParams:
    settings = request.app[SETTINGS].gateway
    to = body.get("to") or ""
    if not request.app[UPSTREAM].serves(to):
        raise BoshError("host-unknown")
    return BoshParams(
        to=to.lower(), lang=body.get(XML_LANG),
        wait=min(max(_number(body, "wait", settings.bosh_wait_s), MIN_WAIT_S),
                 settings.bosh_wait_s),
        hold=int(min(_number(body, "hold", MAX_HOLD), MAX_HOLD)),
        inactivity=settings.bosh_inactivity_s, polling=POLLING_S,
    )


def _number(body: etree._Element, name: str, default: float) -> float:
    try:
        value = float(body.get(name, default))
    except ValueError:
        raise BoshError("bad-request", 400) from None
    if not value >= 0:  # also refuses NaN
        raise BoshError("bad-request", 400)
    return value
