"""refdesk.toml loads, Prosody's configuration is there, and the two agree."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from refdesk.doctor.context import Deployment, Options
from refdesk.doctor.prosodyconfig import ProsodyConfig, read_prosody_config
from refdesk.doctor.result import Result
from refdesk.settings import Settings, SettingsError, load_settings

CHECK = "configuration"
DEFAULT_COMPONENT_PORT = 5347


@dataclass(frozen=True)
class Loaded:
    """The configuration findings, and the deployment when refdesk.toml loaded."""

    results: list[Result]
    deployment: Deployment | None


def load(options: Options) -> Loaded:
    try:
        settings = load_settings(options.config)
    except SettingsError as error:
        return Loaded([Result.fail(CHECK, str(error), "correct it; `refdesk check --config "
                                   f"{options.config}` says when it loads")], None)
    results = [Result.ok(CHECK, f"{options.config} loads ({settings.library.domain}, "
                         f"components {', '.join(settings.components.enabled)})")]
    prosody, found = _prosody(options.prosody_config or Path(settings.prosody.config))
    results.append(found)
    if prosody is not None:
        disagreements = list(agreement(settings, prosody))
        results += disagreements or [Result.ok(CHECK, "refdesk.toml and Prosody agree on the "
                                               "domain, the component port and secrets")]
    return Loaded(results, Deployment(options, settings, prosody, _hosts_file(options, prosody)))


def _prosody(path: Path) -> tuple[ProsodyConfig | None, Result]:
    advice = ("install the prosody.cfg.lua `refdesk init` wrote there (or name it with "
              "--prosody-config) and reload Prosody")
    try:
        config = read_prosody_config(path)
    except FileNotFoundError:
        return None, Result.fail(CHECK, f"{path} does not exist", advice)
    except OSError as error:
        return None, Result.fail(CHECK, f"{path} cannot be read ({error.strerror})",
                                 "run doctor as root")
    return config, Result.ok(CHECK, f"{path} declares {len(config.hosts)} hosts, "
                             f"{len(config.components)} of them components")


def _hosts_file(options: Options, prosody: ProsodyConfig | None) -> Path | None:
    if options.hosts_file is not None:
        return options.hosts_file
    named = prosody.table_string("unbound", "hoststxt") if prosody else None
    return Path(named) if named else None


def agreement(settings: Settings, prosody: ProsodyConfig) -> Iterator[Result]:
    """Failures where refdesk.toml and Prosody's configuration disagree."""
    domain = settings.library.domain
    where = prosody.path
    if domain not in prosody.hosts:
        yield Result.fail(CHECK, f"{where} has no VirtualHost \"{domain}\"",
                          "render it again with `refdesk init` for this domain")
    ports = prosody.numbers("component_ports") or [DEFAULT_COMPONENT_PORT]
    if settings.server.component_port not in ports:
        yield Result.fail(CHECK, f"[server] component_port {settings.server.component_port} "
                          f"is not among Prosody's component_ports {ports}",
                          "make the two the same")
    for name in settings.components.enabled:
        yield from _component_agreement(settings, prosody, settings.component_jid(name))


def _component_agreement(settings: Settings, prosody: ProsodyConfig,
                         jid: str) -> Iterator[Result]:
    if jid not in prosody.components:
        yield Result.fail(CHECK, f"{prosody.path} has no Component \"{jid}\"",
                          f"add `Component \"{jid}\"` with component_secret, or remove it "
                          "from [components] enabled")
        return
    secret = prosody.string("component_secret", jid)
    if secret is not None and secret != settings.components.secret.get_secret_value():
        yield Result.fail(CHECK, f"the component_secret of {jid} in {prosody.path} is not "
                          "[components] secret", "make them the same and restart both")
