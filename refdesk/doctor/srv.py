"""The SRV records peers and clients look up for the deployment's domain."""

from __future__ import annotations

from refdesk.doctor.context import Deployment
from refdesk.doctor.resolve import C2S_PORT, S2S_PORT, LookupFailed, Resolver
from refdesk.doctor.result import Result

CHECK = "dns"
SERVICES = (("_xmpp-client._tcp", C2S_PORT), ("_xmpp-server._tcp", S2S_PORT))


async def check_srv(resolver: Resolver, service: str, domain: str, port: int) -> Result:
    name = f"{service}.{domain}"
    try:
        targets = await resolver.srv(name)
    except LookupFailed as error:
        return Result.warn(CHECK, f"{name} SRV could not be looked up ({error})",
                           "check this machine's resolver (/etc/resolv.conf)")
    if not targets:
        return Result.warn(CHECK, f"no SRV record {name} (peers fall back to A/AAAA of "
                           f"{domain})", f"add `{name}. 3600 IN SRV 0 5 {port} {domain}.`")
    shown = ", ".join(f"{target.host}:{target.port}" for target in targets)
    return Result.ok(CHECK, f"{name} SRV -> {shown}")


async def check_dns(deployment: Deployment, resolver: Resolver) -> list[Result]:
    return [await check_srv(resolver, service, deployment.domain, port)
            for service, port in SERVICES]
