"""What `refdesk lab up` prints: where to click and how to log in."""

from __future__ import annotations

from typing import Any


def _operators(site: dict[str, Any]) -> list[str]:
    return [
        f"    {op['jid']:<18} password {op['password']:<14} {op['name']}"
        + (" (local admin)" if op["local_admin"] else "")
        for op in site["operators"]
    ]


def _site(site: dict[str, Any]) -> list[str]:
    server = f"{site['address']}:{site['c2s_port']}"
    lines = [f"{site['name']} ({site['domain']}): XMPP server {server}"]
    if "gateway" in site:
        lines.append(f"  gateway  {site['gateway']['http']}/health")
        lines.append(f"  console  {site['gateway']['http']}/console")
    lines += [f"  widget   {w['name']}: {w['page']}" for w in site.get("widgets", ())]
    lines += [f"  room     {d['name']}: {d['room']}" for d in site.get("departments", ())]
    lines.append("  operators:")
    return lines + _operators(site)


def describe(manifest: dict[str, Any]) -> str:
    """A short guide to the running lab, ending with how to stop it."""
    lines = ["ready", ""]
    for site in manifest["libraries"] + manifest["coop_hosts"]:
        lines += [*_site(site), ""]
    lines += [f"co-op {c['name']} ({c['kind']}): room {c['room']}" for c in manifest["coops"]]
    lines += [
        "",
        "Log in from any XMPP client (Gajim, Dino, poezio) with an operator's JID and password,",
        f"setting the server address and port by hand; trust the CA {manifest['ca_file']}.",
        *([f"Mail the libraries send (ticket answers, transcripts): {manifest['mail']['dir']}/"]
          if "mail" in manifest else []),
        f"Everything is described in {manifest['dir']}/lab.json.",
        f"Stop it with: refdesk lab down --dir {manifest['dir']}",
    ]
    return "\n".join(lines)
