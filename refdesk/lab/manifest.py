"""lab.json: every endpoint, account and widget of a running lab (a contract; see DESIGN.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from refdesk.lab.sample import Coop, Federation, Operator, Site, Widget


def gateway_urls(site: Site) -> dict[str, str]:
    base = f"http://{site.address}:{site.gateway_port}"
    return {
        "http": base,
        "websocket": f"ws://{site.address}:{site.gateway_port}/xmpp-websocket",
        "bosh": f"{base}/http-bind",
    }


def _operator(site: Site, operator: Operator) -> dict[str, Any]:
    return {
        "jid": site.jid(operator), "password": operator.password, "name": operator.name,
        "local_admin": operator.local_admin, "coops": dict(operator.coops),
        "quality": list(operator.quality),
    }


def _widget(site: Site, widget: Widget) -> dict[str, Any]:
    return {
        "id": widget.id, "name": widget.name, "fallback_s": widget.fallback_s,
        "keep_transcript": widget.keep_transcript,
        "routing": [{kind: target} for kind, target in widget.routing],
        "page": f"{gateway_urls(site)['http']}/demo/{widget.id}",
    }


def _site(site: Site, lab_dir: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": site.name, "domain": site.domain, "kind": site.kind,
        "address": site.address, "c2s_port": site.c2s_port,
        "c2s_direct_tls_port": site.c2s_direct_tls_port,
        "component_port": site.component_port, "muc": site.muc,
        "components": {name: f"{name}.{site.domain}" for name in site.component_names},
        # A co-op's coordinating host has one too: its staff's console and XMPP over the web.
        "gateway": gateway_urls(site),
        "operators": [_operator(site, operator) for operator in site.operators],
        "config": str(lab_dir / site.domain / "refdesk.toml"),
    }
    if site.is_library:
        entry |= {
            "guest_host": site.guest_host,
            # Prosody's own mod_websocket: TLS on loopback, the gateway benchmark's baseline.
            "prosody_websocket":
                f"wss://{site.address}:{site.prosody_websocket_port}/xmpp-websocket",
            "departments": [
                {"name": d.name, "room": f"{d.slug}@{site.muc}"} for d in site.departments
            ],
            "widgets": [_widget(site, widget) for widget in site.widgets],
            "retention": dict(site.retention),
        }
    return entry


def _coop(federation: Federation, coop: Coop) -> dict[str, Any]:
    host = federation.site(coop.host)
    staff = [
        {"jid": host.jid(op), "password": op.password, "level": op.coops[coop.id]}
        for op in host.operators if coop.id in op.coops and not host.is_library
    ]
    return {
        "id": coop.id, "name": coop.name, "kind": coop.kind, "host": coop.host,
        "room": coop.room, "component": coop.component,
        "members": [
            {"domain": domain, "contributing": contributing}
            for domain, contributing in coop.members
        ],
        "staff": staff,
    }


def build_manifest(federation: Federation, lab_dir: Path) -> dict[str, Any]:
    return {
        "dir": str(lab_dir),
        "hosts_file": str(lab_dir / "hosts"),
        "ca_file": str(lab_dir / "certs" / "ca.pem"),
        "libraries": [_site(site, lab_dir) for site in federation.libraries],
        "coop_hosts": [_site(site, lab_dir) for site in federation.sites if not site.is_library],
        "coops": [_coop(federation, coop) for coop in federation.coops],
    }
