"""Runs every check in the order a sysadmin reads them, reporting each line as it comes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from refdesk.doctor import certificates, components, configuration, database, network, srv
from refdesk.doctor.context import Deployment, Options
from refdesk.doctor.resolve import Resolver
from refdesk.doctor.result import Result

Report = Callable[[Result], None]


def _emit(report: Report, results: Iterable[Result], into: list[Result]) -> None:
    for result in results:
        report(result)
        into.append(result)


def certificate_files(deployment: Deployment) -> tuple[Path, Path] | None:
    """The --certificate/--key given, else the ssl pair of Prosody's configuration."""
    options, prosody = deployment.options, deployment.prosody
    named = (prosody.table_string("ssl", "certificate"), prosody.table_string("ssl", "key")) \
        if prosody else (None, None)
    certificate = options.certificate or (Path(named[0]) if named[0] else None)
    key = options.key or (Path(named[1]) if named[1] else None)
    return (certificate, key) if certificate and key else None


def check_certificates(deployment: Deployment) -> list[Result]:
    files = certificate_files(deployment)
    if files is None:
        return [Result.fail(certificates.CHECK, "no certificate and key: Prosody's "
                            "configuration has no ssl = { certificate = …, key = … }",
                            "name them there, or give --certificate and --key")]
    return certificates.check_certificate(*files, deployment.host_names)


def resolver_for(deployment: Deployment) -> tuple[Resolver, list[Result]]:
    timeout = deployment.options.timeout
    try:
        return Resolver.with_hosts_file(deployment.hosts_file, timeout), []
    except OSError as error:
        problem = Result.fail(configuration.CHECK, f"hosts file {deployment.hosts_file} "
                              f"cannot be read ({error.strerror})",
                              "fix unbound's hoststxt in Prosody's configuration")
        return Resolver(timeout=timeout), [problem]


async def check_s2s(deployment: Deployment, resolver: Resolver) -> list[Result]:
    try:
        domains = await database.partner_domains(deployment.settings.database.url)
    except (SQLAlchemyError, OSError):
        return [Result.warn(network.S2S, "partner domains not checked: the database could "
                            "not be read", "see the database line")]
    partners = network.partner_domains(domains, deployment.domain)
    return await network.check_partners(deployment, partners, resolver)


async def run(options: Options, report: Report) -> list[Result]:
    """Every finding, each also passed to report as soon as it is known."""
    results: list[Result] = []
    loaded = configuration.load(options)
    _emit(report, loaded.results, results)
    deployment = loaded.deployment
    if deployment is None:
        return results
    resolver, problems = resolver_for(deployment)
    _emit(report, problems, results)
    _emit(report, check_certificates(deployment), results)
    _emit(report, await srv.check_dns(deployment, resolver), results)
    _emit(report, await network.check_ports(deployment, resolver), results)
    _emit(report, await components.check_components(deployment), results)
    _emit(report, [await database.check_revision(deployment)], results)
    _emit(report, await check_s2s(deployment, resolver), results)
    return results
