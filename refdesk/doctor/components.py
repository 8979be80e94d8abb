"""Each enabled component's XEP-0114 handshake against Prosody, with refdesk.toml's secret.

Prosody's mod_component checks the secret before anything else (a wrong one: not-authorized),
then, with its default component_conflict_resolve = "kick_new", refuses a second connection
for a component already connected with `conflict` and leaves the first alone. So a conflict
means the secret is right and `refdesk serve` holds the component; a completed handshake
means the secret is right and nobody was connected (doctor closes at once). Under "kick_old"
a right secret would replace the running component, so doctor does not try.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib

from refdesk.doctor.context import Deployment
from refdesk.doctor.result import Result
from refdesk.doctor.stream import Stream, Unreachable, stream_error, stream_header

CHECK = "component"
ACCEPT = "jabber:component:accept"
KICK_OLD = "kick_old"


class Handshake(enum.Enum):
    """How Prosody answered a component handshake."""

    IN_USE = "conflict"
    """Secret right; the component is already connected (refdesk serve runs)."""
    ACCEPTED = "accepted"
    """Secret right; nothing was connected."""
    REFUSED = "not-authorized"
    UNKNOWN_HOST = "host-unknown"


def handshake_token(stream_id: str, secret: str) -> str:
    """XEP-0114: the hex SHA-1 of the stream id followed by the secret."""
    return hashlib.sha1((stream_id + secret).encode()).hexdigest()


async def handshake(address: str, port: int, jid: str, secret: str,
                    timeout: float) -> Handshake | str:
    """Prosody's answer, or (a string) another stream error or why it could not be asked."""
    try:
        async with Stream(address, port, timeout) as stream:
            header = await stream.open(stream_header(ACCEPT, jid, version=False))
            if "id" in header:
                token = handshake_token(header["id"], secret)
                await stream.send(f"<handshake>{token}</handshake>".encode())
            answer = await stream.element()
    except Unreachable as error:
        return str(error)
    problem = stream_error(answer)
    if problem is None:
        return Handshake.ACCEPTED
    try:
        return Handshake(problem.condition)
    except ValueError:
        return f"stream error {problem.condition}: {problem.text}".rstrip(": ")


def _result(jid: str, where: str, answer: Handshake | str) -> Result:
    restart = "then restart Prosody and refdesk serve"
    match answer:
        case Handshake.IN_USE:
            return Result.ok(CHECK, f"{jid}: secret accepted, refdesk serve is connected")
        case Handshake.ACCEPTED:
            return Result.fail(CHECK, f"{jid}: secret accepted but no component is connected: "
                               "refdesk serve is not running", "start it (systemctl start "
                               "refdesk-serve; journalctl -u refdesk-serve says why it stopped)")
        case Handshake.REFUSED:
            return Result.fail(CHECK, f"{jid}: Prosody refused the secret (not-authorized)",
                               "make [components] secret in refdesk.toml the same as its "
                               f"component_secret in Prosody's configuration, {restart}")
        case Handshake.UNKNOWN_HOST:
            return Result.fail(CHECK, f"{jid}: Prosody has no such component (host-unknown)",
                               f"add `Component \"{jid}\"` with component_secret, {restart}")
        case str():
            return Result.fail(CHECK, f"{jid}: no handshake at {where} ({answer})",
                               "start Prosody, and make component_interfaces/component_ports "
                               "match [server] address/component_port")


def _kick_old(deployment: Deployment, jid: str) -> bool:
    prosody = deployment.prosody
    return prosody is not None and prosody.string("component_conflict_resolve", jid) == KICK_OLD


async def check_component(deployment: Deployment, jid: str) -> Result:
    server = deployment.settings.server
    where = f"{server.address}:{server.component_port}"
    if _kick_old(deployment, jid):
        return Result.warn(CHECK, f"{jid}: handshake not tried: component_conflict_resolve "
                           "= \"kick_old\" would knock refdesk serve off",
                           "the configuration check compared the secrets instead")
    secret = deployment.settings.components.secret.get_secret_value()
    answer = await handshake(server.address, server.component_port, jid, secret,
                             deployment.options.timeout)
    return _result(jid, where, answer)


async def check_components(deployment: Deployment) -> list[Result]:
    """Every enabled component, at once."""
    return list(await asyncio.gather(*(check_component(deployment, jid)
                                       for jid in deployment.component_domains)))
