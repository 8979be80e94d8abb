"""Doctor reads what it needs from Prosody's configuration without running Lua."""

from __future__ import annotations

from pathlib import Path

from refdesk.doctor.prosodyconfig import lua_strings, parse_prosody_config
from refdesk.lab.prosodyconfig import ProsodySite, render_production

SECRET = "s3cret-with-\"quote\"-and-\\"


def _production() -> str:
    return render_production(ProsodySite(
        "alpha.example", ("*", "::"), Path("/etc/ssl/alpha \"x\".pem"),
        Path("/etc/ssl/alpha.key"), ("queue", "coop"), SECRET))


def test_what_refdesk_init_writes_is_read_back() -> None:
    config = parse_prosody_config(_production(), Path("prosody.cfg.lua"))
    assert config.table_string("ssl", "certificate") == '/etc/ssl/alpha "x".pem'
    assert config.table_string("ssl", "key") == "/etc/ssl/alpha.key"
    assert config.strings("s2s_interfaces") == ["*", "::"]
    assert config.numbers("s2s_ports") == [5269]
    assert config.numbers("component_ports") == [5347]
    assert config.components == ["queue.alpha.example", "coop.alpha.example"]
    assert set(config.hosts) == {"alpha.example", "guest.alpha.example",
                                 "conference.alpha.example", "queue.alpha.example",
                                 "coop.alpha.example"}
    assert config.string("component_secret", "queue.alpha.example") == SECRET
    assert config.table_string("unbound", "hoststxt") is None


def test_comments_are_ignored_and_host_options_override_global_ones() -> None:
    config = parse_prosody_config("""
-- s2s_ports = { 1 } "a quote in a comment
s2s_ports = { 5270; 5271 } -- two ports
unbound = { hoststxt = '/lab/hosts' }
component_conflict_resolve = "kick_new"
--[[ Component "old.example"
]]
Component "queue.example"
    component_secret = "one" -- "not this"
    component_conflict_resolve = "kick_old"
Component "conference.example" "muc"
    modules_enabled = {
        "muc_mam";
    }
Component "faq.example"
""", Path("x"))
    assert config.numbers("s2s_ports") == [5270, 5271]
    assert config.table_string("unbound", "hoststxt") == "/lab/hosts"
    assert config.components == ["queue.example", "faq.example"]
    assert config.string("component_secret", "queue.example") == "one"
    assert config.string("component_conflict_resolve", "queue.example") == "kick_old"
    assert config.string("component_conflict_resolve", "faq.example") == "kick_new"
    assert config.string("component_secret", "faq.example") is None


def test_lua_escapes_are_decoded() -> None:
    assert lua_strings(r'{ "a\034b"; "c\\d"; "e\nf" }') == ['a"b', "c\\d", "e\nf"]
