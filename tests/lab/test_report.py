"""What `refdesk lab up` prints: every gateway's console beside the widget pages."""

from __future__ import annotations

from pathlib import Path

from refdesk.lab.manifest import build_manifest
from refdesk.lab.report import describe
from refdesk.lab.sample import sample_federation


def test_the_guide_names_the_console_of_every_gateway_the_coop_host_included() -> None:
    manifest = build_manifest(sample_federation("127.0.21.2"), Path("/lab"))

    guide = describe(manifest)

    for site in manifest["libraries"] + manifest["coop_hosts"]:
        assert f"  console  {site['gateway']['http']}/console\n" in guide
    assert "  console  http://127.0.21.5:8080/console" in guide  # coop.test
    for widget in manifest["libraries"][0]["widgets"]:
        assert f"  widget   {widget['name']}: {widget['page']}\n" in guide


def test_lab_json_lists_the_coop_host_components_and_gateway_but_no_patron_endpoints() -> None:
    host = build_manifest(sample_federation("127.0.21.2"), Path("/lab"))["coop_hosts"][0]

    assert host["components"] == {"queue": "queue.coop.test", "coop": "coop.coop.test"}
    assert host["gateway"]["http"] == "http://127.0.21.5:8080"
    assert not {"guest_host", "widgets", "departments"} & set(host)
