"""The console's page and bundle, served with a policy that allows only the gateway itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway import console, widgets
from gateway.keys import SETTINGS, TEMPLATES
from gateway.origins import OriginPolicy
from gateway.routes import setup_routes


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    app[SETTINGS] = SimpleNamespace(  # type: ignore[misc]
        library=SimpleNamespace(domain="alpha.test", name="Alpha <University> Library"))
    app[TEMPLATES] = widgets.template_environment()
    setup_routes(app)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_page_names_the_library_and_loads_only_the_bundle(
        client: TestClient[web.Request, web.Application]) -> None:
    response = await client.get("/console")
    page = await response.text()
    assert 'data-domain="alpha.test"' in page
    assert "Alpha &lt;University&gt; Library" in page and "<University>" not in page
    assert '<script src="/console/console.js" defer></script>' in page
    assert "<style" not in page and "<script>" not in page  # nothing inline
    policy = response.headers["Content-Security-Policy"]
    host = f"{client.host}:{client.port}"
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert f"connect-src 'self' wss://{host} ws://{host}" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"


def test_a_secure_page_connects_only_over_tls() -> None:
    policy = console.content_security_policy("chat.alpha.edu", secure=True)
    assert "connect-src 'self' wss://chat.alpha.edu;" in policy
    assert "ws://" not in policy


async def test_bundle_is_served_once_built_and_nothing_else_from_static(
        client: TestClient[web.Request, web.Application], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setattr(console, "STATIC", tmp_path)
    assert (await client.get("/console/console.js")).status == 503
    (tmp_path / "console.js").write_text("console.log('desk');")
    (tmp_path / "widget.js").write_text("console.log('widget');")
    response = await client.get("/console/console.js")
    assert response.content_type == "text/javascript"
    assert await response.text() == "console.log('desk');"
    assert (await client.get("/console/widget.js")).status == 404
    assert (await client.get("/console/..%2Fwidget.js")).status == 404


class NoWidgets:
    async def allowed_origins(self) -> list[str]:
        return []


async def test_console_origin_is_the_gateways_own_and_nothing_looser() -> None:
    policy = OriginPolicy(NoWidgets())
    host = "chat.alpha.edu:8443"
    assert await policy.allows("https://chat.alpha.edu:8443", host)
    for other in ("https://chat.alpha.edu", "https://evil.alpha.edu:8443",
                  "https://chat.alpha.edu.evil.example:8443", "null"):
        assert not await policy.allows(other, host), other
