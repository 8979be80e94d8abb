"""A federation made only as the README's "Run refdesk for your library" says: a co-op host
and two libraries, each with its own Prosody from the configuration `refdesk init` rendered,
its own `refdesk serve` and `refdesk gateway`. No lab code: every step is a
`refdesk` command or what a sysadmin does by hand (certificates, a hosts file in place of
DNS, starting the servers). Then a patron of Alpha asks through Alpha's gateway, the chat is
offered in the co-op's room to a librarian of Beta given access to the co-op, who claims it,
and the two exchange a line each way across federation.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from lxml import etree
from slixmpp import JID, ClientXMPP

from components.queue.stanzas import NS
from tests.deployment import sysadmin
from tests.integration.patrons import CLIENT, WsPatron, chat, q
from tests.integration.xmpp import Inbox, eventually

# Clear of the integration lab (127.0.10.x and up) and of the demo; another /24 of 127/8
# lets two runs share a machine. The gateways' ports on 127.0.0.1 follow it.
BASE = os.environ.get("REFDESK_TEST_DEPLOYMENT_NETWORK", "127.0.80")
GATEWAY_PORT = 20000 + 10 * int(BASE.split(".")[2])
COOP_ID = "metro"
LIBRARY_SUBDOMAINS = ("guest", "conference", "queue", "faq", "archive", "stats")
COOP_HOST_SUBDOMAINS = ("conference", "queue", "coop")
ORIGIN = "https://www.alpha.example"


@dataclass(frozen=True)
class Site:
    """One deployment as its sysadmin made it."""

    domain: str
    name: str
    kind: str
    address: str
    gateway_port: int
    root: Path

    @property
    def subdomains(self) -> tuple[str, ...]:
        names = COOP_HOST_SUBDOMAINS if self.kind == "coordinating" else LIBRARY_SUBDOMAINS
        return tuple(f"{name}.{self.domain}" for name in names)

    @property
    def etc(self) -> Path:
        return self.root / "etc"

    @property
    def config(self) -> str:
        return str(self.etc / "refdesk.toml")

    @property
    def prosody_config(self) -> Path:
        return self.etc / "prosody.cfg.lua"


@dataclass(frozen=True)
class Federation:
    ca: Path
    coop: Site
    alpha: Site
    beta: Site
    passwords: dict[str, str] = field(default_factory=dict)
    """Librarians' passwords, as `refdesk user add --generate-password` showed them."""

    @property
    def room(self) -> str:
        return f"{COOP_ID}@conference.{self.coop.domain}"


def _sites(root: Path) -> tuple[Site, Site, Site]:
    return (Site("coop.example", "Metro Reference Co-op", "coordinating", f"{BASE}.2",
                 GATEWAY_PORT + 2, root / "coop.example"),
            Site("alpha.example", "Alpha University Library", "academic", f"{BASE}.3",
                 GATEWAY_PORT + 3, root / "alpha.example"),
            Site("beta.example", "Beta College Library", "academic", f"{BASE}.4",
                 GATEWAY_PORT + 4, root / "beta.example"))


def _init(site: Site, federation_dir: Path) -> None:
    """`refdesk init`, with the options for several servers on one machine without DNS."""
    chain = site.root / "letsencrypt" / "fullchain.pem"
    sysadmin.refdesk(
        "init", "--domain", site.domain, "--name", site.name, "--kind", site.kind,
        "--certificate", str(chain), "--key", str(chain.with_name("privkey.pem")),
        "--dir", str(site.etc), "--address", site.address, "--local-address", site.address,
        "--prosody-dir", str(site.root / "prosody"), "--prosody-config", str(site.prosody_config),
        "--hosts-file", str(federation_dir / "hosts"), "--ca-file", str(federation_dir / "ca.pem"),
        "--database-url", f"sqlite+aiosqlite:///{site.root / 'refdesk.db'}",
        "--gateway-port", str(site.gateway_port))


def _by_hand(root: Path, sites: tuple[Site, ...]) -> Path:
    """Certificates from a private CA, and a hosts file where DNS would be."""
    ca = sysadmin.make_ca(root)
    for site in sites:
        sysadmin.issue_certificate(ca, site.root / "letsencrypt", (site.domain, *site.subdomains))
    (root / "hosts").write_text("".join(
        f"{site.address} {site.domain} {' '.join(site.subdomains)}\n" for site in sites))
    return ca


def _start(running: sysadmin.Services, site: Site) -> None:
    sysadmin.prosody_owned_directory(site.root / "prosody")
    running.prosody(f"prosody-{site.domain}", site.prosody_config)
    sysadmin.wait_for_port(site.address, 5269)
    running.refdesk(f"serve-{site.domain}", "serve", site.etc / "refdesk.toml")
    running.refdesk(f"gateway-{site.domain}", "gateway", site.etc / "refdesk.toml")


def _provision(federation: Federation) -> None:
    """Librarians, a department, the co-op, its members and access, and a widget."""
    coop, alpha, beta = federation.coop, federation.alpha, federation.beta
    for site, user, name in ((alpha, "ann", "Ann Archer"), (beta, "bob", "Bob Baker")):
        added = sysadmin.refdesk("user", "add", "--config", site.config,
                                 f"{user}@{site.domain}", "--name", name, "--generate-password")
        shown = added.stdout.rpartition("password (shown once): ")[2].strip()
        assert shown, added.stdout
        federation.passwords[f"{user}@{site.domain}"] = shown
    sysadmin.refdesk("department", "add", "--config", alpha.config, "Reference")
    sysadmin.refdesk("coop", "create", "--config", coop.config, "--id", COOP_ID,
                     "--name", "Metro Reference", "--kind", "local", "--audience", "academic")
    for site in (alpha, beta):
        sysadmin.refdesk("coop", "invite", "--config", coop.config, COOP_ID, site.domain)
        sysadmin.refdesk("coop", "join", "--config", site.config,
                         f"{COOP_ID}@coop.{coop.domain}")
    sysadmin.refdesk("coop", "roles", "--config", coop.config, COOP_ID, "grant",
                     f"ann@{alpha.domain}", "institution-admin")
    sysadmin.refdesk("coop", "roles", "--config", coop.config, COOP_ID, "grant",
                     f"bob@{beta.domain}", "regular")
    sysadmin.refdesk("widget", "add", "--config", alpha.config, "main", "--name", "Ask Alpha",
                     "--route", "department:Reference", "--route", f"coop:{COOP_ID}",
                     "--origin", ORIGIN)


@pytest.fixture(scope="module")
def federation(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    failed_before = request.session.testsfailed
    # Not pytest's tmp_path: that is private to root, and Prosody runs as its own user.
    with tempfile.TemporaryDirectory(prefix="refdesk-deployment-") as directory:
        root = Path(directory)
        root.chmod(0o755)
        sites = _sites(root)
        ca = _by_hand(root, sites)
        for site in sites:
            _init(site, root)
        made = Federation(ca, *sites)
        try:
            with sysadmin.services(root) as running:
                for site in sites:
                    _start(running, site)
                _provision(made)
                for site in sites:
                    sysadmin.refdesk("doctor", "--config", site.config)
                yield made
        finally:
            if request.session.testsfailed > failed_before or sys.exc_info()[0] is not None:
                sysadmin.keep_logs(root, tmp_path_factory.mktemp("deployment-logs"))


@asynccontextmanager
async def librarian(federation: Federation, site: Site, jid: str) -> AsyncIterator[
        tuple[ClientXMPP, Inbox, Inbox]]:
    """A librarian's XMPP client, logged in to their own library's server."""
    client = ClientXMPP(jid, federation.passwords[jid])
    client.ca_certs = federation.ca
    for plugin in ("xep_0030", "xep_0045", "xep_0050"):
        client.register_plugin(plugin)
    messages, groupchat = Inbox.of_messages(client), Inbox.of_event(client, "groupchat_message")
    started = Inbox.of_event(client, "session_start")
    client.connect(site.address, 5222)
    try:
        await started.wait_for(lambda _: True, timeout=15)
        client.send_presence()
        yield client, messages, groupchat
    finally:
        await client.disconnect(wait=1.0)


@asynccontextmanager
async def patron(site: Site) -> AsyncIterator[WsPatron]:
    """A patron on the library's page: the widget's WebSocket to the library's gateway."""
    url = f"ws://127.0.0.1:{site.gateway_port}/xmpp-websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(
            url, protocols=("xmpp",), headers={"Origin": ORIGIN}) as ws:
        web = WsPatron(ws)
        await web.login(f"guest.{site.domain}")
        yield web


async def widget_online(site: Site) -> bool:
    url = f"http://127.0.0.1:{site.gateway_port}/widgets/main/status"
    async with aiohttp.ClientSession() as http, http.get(url) as answer:
        return answer.status == 200 and bool((await answer.json())["online"])


def _queue(name: str) -> Any:
    return lambda frame: frame.find(q(NS, name)) is not None


def _attribute(frame: etree._Element, payload: str, attribute: str) -> str:
    """An attribute of the urn:refdesk:queue:0 payload a frame must carry."""
    element = frame.find(q(NS, payload))
    assert element is not None, etree.tostring(frame)
    return str(element.get(attribute))


async def test_beta_librarian_given_coop_access_answers_alpha_patron_across_federation(
        federation: Federation) -> None:
    alpha, beta = federation.alpha, federation.beta
    async with librarian(federation, beta, f"bob@{beta.domain}") as (bob, messages, room):
        try:
            await bob.plugin["xep_0045"].join_muc_wait(JID(federation.room), "Bob",
                                                       maxstanzas=0, timeout=15)
        except TimeoutError:
            raise AssertionError(f"Bob, given access, was not let into {federation.room}"
                                 ) from None
        await eventually(lambda: widget_online(alpha), timeout=30)

        async with patron(alpha) as web:
            await web.send(
                f'<iq xmlns="{CLIENT}" type="set" id="ask" to="queue.{alpha.domain}">'
                f'<request xmlns="{NS}" widget="main"><question>Where are the 1920s city '
                "directories?</question></request></iq>")
            answer = await web.expect(lambda frame: frame.get("id") == "ask")
            chat_jid = _attribute(answer, "chat", "jid")
            await web.send(f'<presence xmlns="{CLIENT}" to="{chat_jid}"/>')

            offer = await room.wait_for(
                lambda m: m.xml.find(f"{{{NS}}}offer[@chat='{chat_jid}']") is not None,
                timeout=20)
            assert offer["from"].bare == federation.room
            assert "1920s city directories" in offer["body"]

            since = messages.mark()
            bob.send_message(mto=JID(chat_jid), mbody="!claim", mtype="chat")
            await messages.wait_for(lambda m: m["from"] == chat_jid
                                    and m["body"].startswith("You cl"), since=since)
            claimed = await web.expect(_queue("claimed"))
            assert _attribute(claimed, "claimed", "institution") == beta.domain

            bob.send_message(mto=JID(chat_jid), mbody="Second floor, local history.",
                             mtype="chat")
            await web.expect(lambda f: f.findtext(q(CLIENT, "body")) ==
                             "Second floor, local history.")
            since = messages.mark()
            await web.send(chat(chat_jid, "Thank you!"))
            await messages.wait_for(lambda m: m["from"] == chat_jid
                                    and m["body"] == "Thank you!", since=since)


def test_the_sites_run_only_from_what_init_wrote(federation: Federation) -> None:
    for site in (federation.coop, federation.alpha, federation.beta):
        prosody = site.prosody_config.read_text()
        assert "run_as_root" not in prosody
        assert "s2s_secure_auth = true" in prosody


async def test_the_coop_host_gateway_serves_its_staff_console_and_reaches_its_server(
        federation: Federation) -> None:
    base = f"http://127.0.0.1:{federation.coop.gateway_port}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/health") as health:
            assert health.status == 200
            assert await health.json() == {"domain": federation.coop.domain, "xmpp": "up"}
        async with http.get(f"{base}/console") as console:
            assert console.status == 200
            assert "Metro Reference Co-op" in await console.text()
