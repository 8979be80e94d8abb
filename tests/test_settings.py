"""Settings: loading, defaults, one-line refusals, environment overrides, schema and CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pydantic
import pytest

from refdesk.settings import (
    Settings,
    SettingsError,
    load_settings,
    schema_json,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "conf" / "refdesk.example.toml"
SCHEMA = ROOT / "schemas" / "settings.schema.json"
SECRET = "s3cret-of-the-alpha-library"

MINIMAL = f"""\
[library]
domain = "Alpha.TEST"
name = "Alpha University Library"

[components]
secret = "{SECRET}"
"""


def write(tmp_path: Path, text: str, name: str = "alpha.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path, environ: Mapping[str, str] | None = None) -> str:
    """Load `path`, expect a refusal, and return its message after checking it is one line."""
    with pytest.raises(SettingsError) as caught:
        load_settings(path, environ={} if environ is None else environ)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def edited(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


def test_minimal_file_loads_with_defaults_filled(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, MINIMAL), environ={})

    assert settings.library.domain == "alpha.test"
    assert settings.library.kind == "academic"
    assert (settings.server.address, settings.server.c2s_port) == ("127.0.0.1", 5222)
    assert (settings.server.component_port, settings.server.ca_file) == (5347, None)
    assert settings.components.enabled == ("queue", "faq", "archive", "stats")
    assert settings.components.secret.get_secret_value() == SECRET
    assert settings.components.reconnect_max_delay == 30.0
    assert settings.database.url == "sqlite+aiosqlite:////var/lib/refdesk/refdesk.db"
    assert (settings.gateway.address, settings.gateway.port) == ("127.0.0.1", 5280)
    assert settings.log.level == "info"


def test_settings_are_frozen_and_keep_the_secret_out_of_repr(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, MINIMAL), environ={})

    with pytest.raises(pydantic.ValidationError):
        settings.server.c2s_port = 5223
    assert SECRET not in repr(settings)


def test_component_jid_is_name_dot_domain(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, MINIMAL), environ={})

    assert settings.component_jid("queue") == "queue.alpha.test"
    assert settings.component_jid("coop") == "coop.alpha.test"
    with pytest.raises(ValueError, match="unknown component 'chat'"):
        settings.component_jid("chat")


def test_example_file_loads_once_the_secret_is_set() -> None:
    settings = load_settings(EXAMPLE, environ={"REFDESK_COMPONENTS_SECRET": SECRET})

    assert settings.library.domain == "alpha.example"
    assert settings.components.secret.get_secret_value() == SECRET


def test_example_file_is_refused_with_its_placeholder_secret() -> None:
    message = refused(EXAMPLE)

    assert message.startswith(f"{EXAMPLE}: components.secret: is still the placeholder")
    assert "REFDESK_COMPONENTS_SECRET" in message


def test_example_file_documents_every_key() -> None:
    documented = _keys_in_example(EXAMPLE.read_text(encoding="utf-8"))

    for section, field in Settings.model_fields.items():
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, pydantic.BaseModel)
        assert set(model.model_fields) == documented.pop(section), section
    assert documented == {}


def _keys_in_example(text: str) -> dict[str, set[str]]:
    """Keys per section, counting a commented-out `# key = value` line as documented."""
    keys: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        if heading := re.fullmatch(r"\[(\w+)\]", line):
            section = heading[1]
            keys[section] = set()
        elif section and (key := re.match(r"(?:# )?(\w+) = ", line)):
            keys[section].add(key[1])
    return keys


def test_invalid_toml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "[library]\ndomain = \n")

    message = refused(path)

    assert re.fullmatch(
        rf"{re.escape(str(path))}: invalid TOML at line 2, column \d+: .+", message
    )


def test_unreadable_file_says_why(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"

    assert refused(path) == f"{path}: cannot read: No such file or directory"


def test_missing_domain_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, edited('domain = "Alpha.TEST"\n', ""))

    assert refused(path) == f"{path}: library.domain: missing"


@pytest.mark.parametrize("port", [0, 70000])
def test_port_out_of_range_is_refused(tmp_path: Path, port: int) -> None:
    path = write(tmp_path, MINIMAL + f"\n[server]\nc2s_port = {port}\n")

    expected = f"{path}: server.c2s_port: must be between 1 and 65535, got {port}"
    assert refused(path) == expected


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '\n[colour]\nname = "red"\n')

    assert refused(path) == f"{path}: colour: unknown key"


def test_unknown_nested_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '\n[server]\ncolour = "red"\n')

    assert refused(path) == f"{path}: server.colour: unknown key"


@pytest.mark.parametrize(
    ("toml", "key", "problem"),
    [
        ('[server]\nc2s_port = "many"', "server.c2s_port", "must be an integer, got 'many'"),
        ("[server]\nc2s_port = true", "server.c2s_port", "must be a number, not true or false"),
        ("[gateway]\nport = 5280.5", "gateway.port", "must be an integer, got 5280.5"),
        ('[log]\nlevel = "loud"', "log.level", "must be one of 'debug', 'info', 'warning' or"),
        ("[library.extra]", "library.extra", "unknown key"),
        ('[server]\naddress = "http://xmpp"', "server.address", "must be a host name or an IP"),
        ("[database]\nurl = 5", "database.url", "must be a string, got 5"),
    ],
)
def test_wrong_type_names_the_key(tmp_path: Path, toml: str, key: str, problem: str) -> None:
    path = write(tmp_path, MINIMAL + "\n" + toml + "\n")

    assert refused(path).startswith(f"{path}: {key}: {problem}")


def test_section_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "server = 5\n" + MINIMAL)

    assert refused(path) == f"{path}: server: must be a table, got 5"


def test_wrong_item_in_a_list_names_its_index(tmp_path: Path) -> None:
    path = write(
        tmp_path, MINIMAL.replace("[components]", '[components]\nenabled = ["queue", "chat"]')
    )

    assert refused(path).startswith(f"{path}: components.enabled[1]: must be one of 'queue'")


def test_database_url_with_another_scheme_is_refused_without_its_password(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '\n[database]\nurl = "mysql://ann:hunter2@db/refdesk"\n')

    message = refused(path)

    assert message == (
        f"{path}: database.url: must start with sqlite+aiosqlite:// or postgresql+asyncpg://,"
        " got 'mysql://…'"
    )
    assert "hunter2" not in message


def test_duplicate_component_is_refused(tmp_path: Path) -> None:
    enabled = 'enabled = ["queue", "faq", "queue"]'
    path = write(tmp_path, MINIMAL.replace("[components]", f"[components]\n{enabled}"))

    assert refused(path) == f"{path}: components.enabled: lists 'queue' twice"


@pytest.mark.parametrize(
    "domain", ["https://alpha.test", "alpha.test:5222", "alpha_test", "1.2.3.4"]
)
def test_domain_must_be_a_dns_name(tmp_path: Path, domain: str) -> None:
    path = write(tmp_path, edited('"Alpha.TEST"', f'"{domain}"'))

    assert refused(path).startswith(f"{path}: library.domain: must be a DNS name")


def test_short_secret_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, edited(SECRET, "short"))

    assert refused(path).startswith(f"{path}: components.secret: is too short")


def test_first_of_several_errors_is_reported_with_a_count(tmp_path: Path) -> None:
    path = write(
        tmp_path, MINIMAL + "\n[server]\nc2s_port = 0\ncomponent_port = 0\n[log]\nx = 1\n"
    )

    assert refused(path) == (
        f"{path}: server.c2s_port: must be between 1 and 65535, got 0 (and 2 more errors)"
    )


def test_environment_overrides_are_coerced(tmp_path: Path) -> None:
    environ = {
        "REFDESK_SERVER_C2S_PORT": "5223",
        "REFDESK_COMPONENTS_ENABLED": "queue, coop",
        "REFDESK_COMPONENTS_RECONNECT_MAX_DELAY": "2.5",
        "REFDESK_COMPONENTS_SECRET": "another-secret-of-alpha",
        "REFDESK_DATABASE_URL": "postgresql+asyncpg://refdesk@db/alpha",
        "REFDESK_LOG_LEVEL": "DEBUG",
        "REFDESK_LAB_DIR": "/tmp/lab",  # not a settings section: left to its own tool
    }

    settings = load_settings(write(tmp_path, MINIMAL), environ=environ)

    assert settings.server.c2s_port == 5223
    assert settings.components.enabled == ("queue", "coop")
    assert settings.components.reconnect_max_delay == 2.5
    assert settings.components.secret.get_secret_value() == "another-secret-of-alpha"
    assert settings.database.url == "postgresql+asyncpg://refdesk@db/alpha"
    assert settings.log.level == "debug"


def test_environment_defaults_to_os_environ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFDESK_GATEWAY_PORT", "8101")

    assert load_settings(write(tmp_path, MINIMAL)).gateway.port == 8101


def test_secret_may_come_from_the_environment_alone(tmp_path: Path) -> None:
    path = write(tmp_path, edited(f'\n[components]\nsecret = "{SECRET}"\n', ""))

    settings = load_settings(path, environ={"REFDESK_COMPONENTS_SECRET": SECRET})

    assert settings.components.secret.get_secret_value() == SECRET


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)

    message = refused(path, {"REFDESK_SERVER_C2S_PORT": "70000"})

    assert message == (
        f"{path}: server.c2s_port: must be between 1 and 65535, got 70000"
        " (from REFDESK_SERVER_C2S_PORT)"
    )


def test_unknown_environment_override_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)

    message = refused(path, {"REFDESK_SERVER_COLOUR": "red"})

    assert message == f"{path}: server.colour: unknown key (from REFDESK_SERVER_COLOUR)"


def test_relative_ca_file_is_relative_to_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not checked here\n", encoding="utf-8")
    path = write(tmp_path, MINIMAL + '\n[server]\nca_file = "ca.pem"\n')

    assert load_settings(path, environ={}).server.ca_file == tmp_path / "ca.pem"


def test_missing_ca_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '\n[server]\nca_file = "absent.pem"\n')

    assert refused(path).startswith(f"{path}: server.ca_file: must be an existing file")


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_json()


def test_schema_describes_every_section_and_refuses_unknown_keys() -> None:
    schema = Settings.model_json_schema()

    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "library",
        "server",
        "components",
        "queue",
        "retention",
        "database",
        "gateway",
        "prosody",
        "log",
        "mail",
    }


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {
        name: value for name, value in os.environ.items() if not name.startswith("REFDESK_")
    }
    return subprocess.run(
        [sys.executable, "-m", "refdesk.settings", *args],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
        cwd=ROOT,
    )


def test_cli_check_refuses_a_bad_file_with_one_line_and_status_2(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "\n[server]\nc2s_port = 70000\n")

    result = run_cli("--check", str(path))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"{path}: server.c2s_port: must be between 1 and 65535, got 70000\n"


def test_cli_check_accepts_a_good_file(tmp_path: Path) -> None:
    result = run_cli("--check", str(write(tmp_path, MINIMAL)))

    assert (result.returncode, result.stdout, result.stderr) == (0, "ok: alpha.test\n", "")


def test_cli_schema_prints_the_committed_schema() -> None:
    result = run_cli("--schema")

    assert result.returncode == 0
    assert result.stdout == SCHEMA.read_text(encoding="utf-8")


def test_prosody_section_defaults_to_debian_paths(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, MINIMAL), environ={})

    assert settings.prosody.prosodyctl == "/usr/bin/prosodyctl"
    assert settings.prosody.config == "/etc/prosody/prosody.cfg.lua"


def test_gateway_public_url_must_be_a_web_address(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '\n[gateway]\npublic_url = "chat.alpha.example"\n')

    assert refused(path).startswith(f"{path}: gateway.public_url: ")


def test_mail_settings_are_read_and_a_bad_sender_or_security_is_refused(tmp_path: Path) -> None:
    good = write(tmp_path, MINIMAL + '\n[mail]\nhost = "smtp.alpha.example"\nport = 587\n'
                 'sender = "ask@alpha.example"\n')
    mail = load_settings(good, environ={"REFDESK_MAIL_PASSWORD": "s3cret"}).mail
    assert (mail.host, mail.port, mail.security, mail.sender) == (
        "smtp.alpha.example", 587, "starttls", "ask@alpha.example")
    assert mail.password is not None and mail.password.get_secret_value() == "s3cret"
    bad = write(tmp_path, MINIMAL + '\n[mail]\nsender = "nobody"\nsecurity = "ssl"\n')
    assert "mail.sender: " in refused(bad) or "mail.security: " in refused(bad)


def test_retention_refuses_stripping_details_after_the_transcript_is_gone(
        tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "\n[retention]\ntranscripts_days = 30\n"
                 "patron_details_days = 60\n")

    message = refused(path)

    assert "patron_details_days (60) must be at most transcripts_days (30)" in message


def test_retention_keeps_everything_unless_told(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, MINIMAL), environ={})

    assert (settings.retention.transcripts_days, settings.retention.patron_details_days) == (
        None, None)
