"""Ports this server must have open, and every partner's server answering over s2s."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from refdesk.doctor.context import WILDCARDS, Deployment
from refdesk.doctor.resolve import C2S_PORT, S2S_PORT, Endpoint, LookupFailed, Resolver
from refdesk.doctor.result import Result
from refdesk.doctor.stream import Stream, Unreachable, stream_error, stream_header

PORTS = "ports"
S2S = "s2s"


async def tcp_answers(address: str, port: int, timeout: float) -> str | None:
    """None when address:port accepts a TCP connection; else why not, in a few words."""
    try:
        async with Stream(address, port, timeout):
            return None
    except Unreachable as error:
        return str(error)


async def public_addresses(deployment: Deployment, resolver: Resolver) -> list[str]:
    """The addresses peers and clients reach this server at."""
    if deployment.options.addresses:
        return list(deployment.options.addresses)
    prosody = deployment.prosody
    listed = prosody.strings("s2s_interfaces") if prosody else []
    named = [address for address in listed if address not in WILDCARDS]
    if named:
        return named
    try:
        return await resolver.addresses(deployment.domain)
    except LookupFailed:
        return []


def _listening_ports(deployment: Deployment) -> list[tuple[str, int]]:
    prosody = deployment.prosody
    c2s = (prosody.numbers("c2s_ports") if prosody else []) or [C2S_PORT]
    s2s = (prosody.numbers("s2s_ports") if prosody else []) or [S2S_PORT]
    return [*(("c2s", port) for port in c2s), *(("s2s", port) for port in s2s)]


async def check_ports(deployment: Deployment, resolver: Resolver) -> list[Result]:
    """c2s and s2s on each public address, the component port on the local one."""
    timeout = deployment.options.timeout
    addresses = await public_addresses(deployment, resolver)
    unknown = [] if addresses else [Result.fail(
        PORTS, f"no public address of {deployment.domain} is known",
        "give it with --address, or add its A/AAAA records")]
    server = deployment.settings.server
    probes = [(name, address, port) for address in addresses
              for name, port in _listening_ports(deployment)]
    probes += [("component", server.address, server.component_port),
               ("c2s-direct-tls", server.address, server.c2s_direct_tls_port)]
    answers = await asyncio.gather(*(tcp_answers(address, port, timeout)
                                     for _, address, port in probes))
    return unknown + [_port_result(name, address, port, why)
            for (name, address, port), why in zip(probes, answers, strict=True)]


def _port_result(name: str, address: str, port: int, why: str | None) -> Result:
    where = Endpoint(address, port, "")
    if why is None:
        return Result.ok(PORTS, f"{name} {where} accepts connections")
    advice = {"c2s": "start Prosody, check c2s_interfaces/c2s_ports and open the port in "
                     "the firewall for librarians' clients",
              "s2s": f"start Prosody, check s2s_interfaces/s2s_ports and open port {port} "
                     "in the firewall to every partner",
              "component": "start Prosody, and make component_interfaces/component_ports "
                           "match [server] address/component_port",
              "c2s-direct-tls": "start Prosody, and make c2s_direct_tls_interfaces/"
                                "c2s_direct_tls_ports match [server] address/"
                                "c2s_direct_tls_port (the gateway's streams)"}[name]
    return Result.fail(PORTS, f"{name} {where} closed ({why})", advice)


async def stream_answer(endpoint: Endpoint, domain: str, sender: str,
                        timeout: float) -> str | None:
    """None when the server at endpoint opens an s2s stream for domain; else why not."""
    try:
        async with Stream(endpoint.address, endpoint.port, timeout) as stream:
            await stream.open(stream_header("jabber:server", domain, sender))
            first = await stream.element()
    except Unreachable as error:
        return str(error)
    problem = stream_error(first)
    return None if problem is None else f"stream error {problem.condition}"


async def check_partner(domain: str, own: str, resolver: Resolver,
                        timeout: float) -> Result:
    """Resolve the partner as Prosody would, and try each of its endpoints in turn."""
    dns_advice = (f"ask {domain}'s sysadmin to check their DNS (_xmpp-server._tcp.{domain} "
                  "SRV, or A/AAAA records)")
    try:
        endpoints = await resolver.s2s_endpoints(domain)
    except LookupFailed as error:
        return Result.fail(S2S, f"{domain} could not be resolved ({error})", dns_advice)
    if not endpoints:
        return Result.fail(S2S, f"{domain} does not resolve (no SRV, A or AAAA record)",
                           dns_advice)
    why = ""
    for endpoint in endpoints:
        answer = await stream_answer(endpoint, domain, own, timeout)
        if answer is None:
            return Result.ok(S2S, f"{domain} answers at {endpoint}")
        why = f"{endpoint} ({answer})"
    return Result.fail(S2S, f"{domain} unreachable at {why}",
                       f"open port {endpoints[-1].port} to this server on {domain}'s side "
                       f"(ask its sysadmin) / {dns_advice}")


async def check_partners(deployment: Deployment, partners: Sequence[str],
                         resolver: Resolver) -> list[Result]:
    """Every partner at once, each within a few timeouts."""
    timeout = deployment.options.timeout
    limit = timeout * 3

    async def one(domain: str) -> Result:
        try:
            async with asyncio.timeout(limit):
                return await check_partner(domain, deployment.domain, resolver, timeout)
        except TimeoutError:
            return Result.fail(S2S, f"{domain} gave no answer within {limit:g} s",
                               f"ask {domain}'s sysadmin whether port 5269 is open to you")

    if not partners:
        return [Result.ok(S2S, "no partner domains in the database")]
    return list(await asyncio.gather(*(one(domain) for domain in partners)))


def partner_domains(domains: Iterable[str], own: str) -> list[str]:
    """Every other domain, once, sorted."""
    return sorted({domain.lower() for domain in domains} - {own.lower()})
