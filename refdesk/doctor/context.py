"""What every check is given: the sysadmin's options and the deployment's two configurations."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from refdesk.doctor.prosodyconfig import ProsodyConfig
from refdesk.settings import Settings

DEFAULT_PROSODY_CONFIG = Path("/etc/prosody/prosody.cfg.lua")
DEFAULT_TIMEOUT_S = 4.0
WILDCARDS = ("*", "::")


@dataclass(frozen=True)
class Options:
    """The command line of `refdesk doctor`."""

    config: Path
    prosody_config: Path | None = None
    """Prosody's configuration; None: the one refdesk.toml's [prosody] config names."""
    certificate: Path | None = None
    """Instead of the ssl certificate of Prosody's configuration."""
    key: Path | None = None
    addresses: tuple[str, ...] = ()
    """Public addresses to test c2s and s2s on; default: Prosody's interfaces, or the
    domain's own addresses where Prosody listens on every address."""
    hosts_file: Path | None = None
    """Instead of the one Prosody's configuration names (unbound hoststxt)."""
    timeout: float = DEFAULT_TIMEOUT_S
    """Seconds for each connection, each DNS query and each partner."""


@dataclass(frozen=True)
class Deployment:
    """A deployment whose configurations loaded, with the names it must serve."""

    options: Options
    settings: Settings
    prosody: ProsodyConfig | None
    hosts_file: Path | None = field(default=None)

    @property
    def domain(self) -> str:
        return self.settings.library.domain

    @property
    def component_domains(self) -> tuple[str, ...]:
        return tuple(self.settings.component_jid(name)
                     for name in self.settings.components.enabled)

    @property
    def host_names(self) -> tuple[str, ...]:
        """Every name the certificate must cover: the domain, conference., guest. for a
        library, each enabled component, and any other host Prosody serves for it."""
        guest = () if self.settings.library.kind == "coordinating" else (f"guest.{self.domain}",)
        names = [self.domain, f"conference.{self.domain}", *guest, *self.component_domains]
        declared = self.prosody.hosts if self.prosody else {}
        names += [host for host in declared if host.endswith(f".{self.domain}")]
        return tuple(dict.fromkeys(names))
