"""The widget's endpoints: its public settings, its sample page and its script."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway import widgets
from gateway.keys import SETTINGS, TEMPLATES, WIDGETS
from gateway.routes import setup_routes
from refdesk.db.models import Institution, InstitutionKind, Widget
from refdesk.db.stores.widgets import PublicWidget, WidgetStore
from tests.db.conftest import db_url, engine, sessions

__all__ = ["db_url", "engine", "sessions"]  # the database fixtures, shared with tests/db

ASK = PublicWidget("alpha-main", "Ask <Alpha>", "Alpha University Library", "alpha.test")


class OneWidget:
    async def public(self, widget_id: str) -> PublicWidget | None:
        return ASK if widget_id == ASK.id else None


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    app[SETTINGS] = SimpleNamespace(  # type: ignore[misc]
        library=SimpleNamespace(domain="alpha.test"),
        components=SimpleNamespace(enabled=("queue", "faq")))
    app[WIDGETS] = OneWidget()  # type: ignore[misc]
    app[TEMPLATES] = widgets.template_environment()
    setup_routes(app)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_settings_name_the_guest_host_and_any_page_may_read_them(
        client: TestClient[web.Request, web.Application]) -> None:
    response = await client.get("/widgets/alpha-main")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert await response.json() == {
        "id": "alpha-main", "name": "Ask <Alpha>", "institution": "Alpha University Library",
        "domain": "alpha.test", "guest_host": "guest.alpha.test",
        "websocket": "/xmpp-websocket", "bosh": "/http-bind", "faq": "faq.alpha.test",
    }
    assert (await client.get("/widgets/nope")).status == 404


async def test_settings_name_no_faq_address_where_no_faq_component_runs(
        client: TestClient[web.Request, web.Application]) -> None:
    client.app[SETTINGS].components.enabled = ("queue",)
    assert (await (await client.get("/widgets/alpha-main")).json())["faq"] is None


async def test_sample_page_embeds_the_widget_in_one_line_and_escapes_its_name(
        client: TestClient[web.Request, web.Application]) -> None:
    page = await (await client.get("/demo/alpha-main?transport=bosh")).text()
    gateway = f"http://{client.host}:{client.port}"
    assert (f'<script src="{gateway}/widget.js" data-widget="alpha-main" '
            'data-transport="bosh" async></script>') in page
    assert "Ask &lt;Alpha&gt;" in page and "<Alpha>" not in page
    assert (await client.get("/demo/nope")).status == 404


async def test_script_is_served_once_built(client: TestClient[web.Request, web.Application],
                                           monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    script = tmp_path / "widget.js"
    monkeypatch.setattr(widgets, "SCRIPT", script)
    assert (await client.get("/widget.js")).status == 503
    script.write_text("console.log('hi');")
    response = await client.get("/widget.js")
    assert response.content_type == "text/javascript"
    assert await response.text() == "console.log('hi');"


async def test_directory_reads_a_widget_with_its_institution(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha University Library",
                            kind=InstitutionKind.ACADEMIC)
        session.add(alpha)
        await session.flush()
        session.add(Widget(id="alpha-main", institution_id=alpha.id, name="Ask <Alpha>"))

    store = WidgetStore(sessions)

    assert await store.public("alpha-main") == ASK
    assert await store.public("nope") is None
