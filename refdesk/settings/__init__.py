"""Settings of one refdesk deployment: read from TOML, overridden by ``REFDESK_*``, validated
once at start-up. ``conf/refdesk.example.toml`` documents every key."""

from refdesk.settings.load import load_settings
from refdesk.settings.model import (
    COMPONENT_NAMES,
    DATABASE_SCHEMES,
    ENV_PREFIX,
    MIN_SECRET_LENGTH,
    PLACEHOLDER_SECRET,
    ComponentsSettings,
    DatabaseSettings,
    GatewaySettings,
    LibrarySettings,
    LogSettings,
    QueueSettings,
    RetentionSettings,
    ServerSettings,
    Settings,
    SettingsError,
    schema_json,
)

__all__ = [
    "COMPONENT_NAMES", "DATABASE_SCHEMES", "ENV_PREFIX", "MIN_SECRET_LENGTH",
    "PLACEHOLDER_SECRET", "ComponentsSettings", "DatabaseSettings", "GatewaySettings",
    "LibrarySettings", "LogSettings",
    "QueueSettings", "RetentionSettings", "ServerSettings", "Settings", "SettingsError",
    "load_settings", "schema_json",
]
