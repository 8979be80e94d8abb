"""A real browser for the widget stories: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import pytest
from playwright.async_api import Browser, Page, async_playwright

ROOT: Final = Path(__file__).parents[2]
CHROMIUM: Final = Path("/usr/bin/chromium")
# Everything a test browser has no use for: no sandbox in containers, no phoning home.
CHROMIUM_ARGS: Final = ["--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run"]
AXE: Final = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUNDLES: Final = tuple(ROOT / "web" / "static" / name
                       for name in ("widget.js", "console.js", "console.css"))


def _as_root(*command: str) -> list[str]:
    return list(command) if os.geteuid() == 0 else ["sudo", *command]


def ensure_chromium() -> Path:
    """Debian's chromium, installed if missing (a browser test never skips)."""
    if not CHROMIUM.exists():
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(_as_root("apt-get", "install", "-y", "-q", "chromium"),
                       check=True, env=env, capture_output=True, timeout=900)
    return CHROMIUM


def ensure_widget_built() -> None:
    """The widget's and the console's bundles and axe-core, from package-lock.json, as
    scripts/bootstrap.sh makes them: again whenever a source or the lock is newer than a
    bundle, so that a story never drives yesterday's widget or console."""
    if AXE.exists() and not _bundle_stale():
        return
    npm = shutil.which("npm") or "npm"
    for step in (["ci", "--no-audit", "--no-fund"], ["run", "build"]):
        subprocess.run([npm, *step], cwd=ROOT, check=True, capture_output=True, timeout=600)


def _bundle_stale() -> bool:
    if not all(bundle.exists() for bundle in BUNDLES):
        return True
    built = min(bundle.stat().st_mtime for bundle in BUNDLES)
    sources = [ROOT / "package-lock.json", ROOT / "package.json",
               *(ROOT / "web" / "src").rglob("*.js"), *(ROOT / "web" / "src").rglob("*.css")]
    return any(source.stat().st_mtime > built for source in sources)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    ensure_widget_built()
    executable = ensure_chromium()
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(executable),
                                                   args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(accept_downloads=True)
    yield await context.new_page()
    await context.close()


async def axe_violations(page: Page) -> list[dict[str, object]]:
    """axe-core's violations on the page as it is now, widget (shadow root) included."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]
