"""A sysadmin edits Alpha's set-up from the command line while everything runs: no restart.

Each story puts Alpha back as the lab made it, for the stories that follow on the shared lab.
"""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from slixmpp import JID
from slixmpp.exceptions import IqError

from refdesk.admin.widgets import list_widgets
from refdesk.settings import load_settings
from tests.integration.queue import (
    asking,
    carrying,
    chat_record,
    claim_by_command,
    entry_answer,
    join,
    room,
    site,
)
from tests.integration.xmpp import Session, account, eventually, operator, patron

ALPHA = "alpha.test"
EFFECT_S = 5.0
"""An edit must be in effect this soon after the command returns."""


def refdesk(lab: dict[str, Any], *args: str, stdin: str = "") -> str:
    """Run `refdesk <noun> <action> --config <Alpha's> …` as a sysadmin would; its output."""
    noun, action, *rest = args
    done = subprocess.run(
        [sys.executable, "-m", "refdesk", noun, action, "--config", site(lab, ALPHA)["config"],
         *rest], input=stdin, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def routes(widget: dict[str, Any]) -> list[str]:
    """The lab's routing list of a widget as `--route` options."""
    return [f"--route={kind}:{ref}" for step in widget["routing"] for kind, ref in step.items()]


async def online(pat: Session, widget: str) -> bool:
    iq = pat.xmpp.make_iq_get(ito=f"queue.{ALPHA}")
    iq["refdesk_status"]["widget"] = widget
    return bool((await iq.send(timeout=10))["refdesk_status"]["online"] == "true")


async def test_alpha_main_routed_to_science_from_the_command_line_offers_the_next_chat_there(
        lab: dict[str, Any]) -> None:
    main = next(w for w in site(lab, ALPHA)["widgets"] if w["id"] == "alpha-main")
    science = room(lab, ALPHA, "Science")
    async with operator(lab, "ada@alpha.test") as ada, patron(lab, ALPHA) as pat:
        await join(ada, science, "ada")
        assert not await online(pat, "alpha-main")  # nobody monitors its targets
        refdesk(lab, "widget", "change", "alpha-main", "--route=department:Science",
                *routes(main))
        try:
            await eventually(lambda: online(pat, "alpha-main"), timeout=EFFECT_S)
            async with asking(pat, ALPHA, "alpha-main", "Where are the maps?") as chat:
                offer = await ada.groupchat.wait_for(carrying("offer", chat))
                assert offer["from"].bare == science
        finally:
            refdesk(lab, "widget", "change", "alpha-main", *routes(main))
        await eventually(lambda: online(pat, "alpha-main"), expected=False, timeout=EFFECT_S)


@asynccontextmanager
async def new_librarian(lab: dict[str, Any], user: str) -> AsyncIterator[tuple[str, str]]:
    """A librarian added with `refdesk user add`; removed afterwards whatever happened."""
    jid, password = f"{user}@{ALPHA}", secrets.token_urlsafe(12)
    out = refdesk(lab, "user", "add", jid, "--name", user.capitalize(), "--password-stdin",
                  stdin=password + "\n")
    assert out.startswith(f"added {jid}")
    try:
        yield jid, password
    finally:
        listed = refdesk(lab, "user", "list")
        if jid in listed:
            refdesk(lab, "user", "remove", jid)


async def enters(session: Session, room_jid: str, nick: str) -> bool:
    """Whether the room lets the user in now (leaving again at once if it did)."""
    if (await entry_answer(session, room_jid, nick))["type"] == "error":
        return False
    session.xmpp.make_presence(pto=JID(f"{room_jid}/{nick}"), ptype="unavailable").send()
    return True


async def test_librarian_added_from_the_command_line_logs_in_joins_and_loses_access_on_change(
        lab: dict[str, Any]) -> None:
    reference = room(lab, ALPHA, "Reference")
    async with new_librarian(lab, "zoe") as (jid, password), \
            account(lab, jid, password) as zoe, operator(lab, "ari@alpha.test") as ari, \
            patron(lab, ALPHA) as pat:
        # The queue makes her a member of the department room once it sees the edit.
        await eventually(lambda: enters(zoe, reference, "zoe"), timeout=EFFECT_S)
        await join(zoe, reference, "zoe")
        await join(ari, reference, "ari")

        async with thrown_out(zoe, reference):
            refdesk(lab, "user", "change", jid, "--no-chat")
        assert not await enters(zoe, reference, "zoe")
        async with asking(pat, ALPHA, "alpha-main", "Do you lend laptops?") as chat:
            await ari.groupchat.wait_for(carrying("offer", chat))
            try:
                await claim_by_command(zoe, chat)
                raise AssertionError("a librarian without chat access claimed a chat")
            except IqError as refused:
                # The chat's commands are not even shown to her.
                assert refused.condition in ("forbidden", "item-not-found")
            record, _ = await chat_record(lab, chat)
            assert record.claimed_by is None

        refdesk(lab, "user", "change", jid, "--chat")
        await eventually(lambda: enters(zoe, reference, "zoe"), timeout=EFFECT_S)
        await join(zoe, reference, "zoe")
        async with thrown_out(zoe, reference):
            refdesk(lab, "user", "remove", jid)
    assert jid not in refdesk(lab, "user", "list")
    try:
        async with account(lab, jid, password):
            raise AssertionError("a removed librarian still logs in")
    except RuntimeError as failed:
        assert "failed to log in" in str(failed)


@asynccontextmanager
async def thrown_out(session: Session, room_jid: str) -> AsyncIterator[None]:
    """Expect the room to say, within EFFECT_S of the block's end, that the user is out of
    it (watched from the block's start: the queue may act before the command returns)."""
    gone: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_presence(presence: Any) -> None:
        if (presence["from"].bare == room_jid and presence["type"] == "unavailable"
                and not gone.done()):
            gone.set_result(None)

    # slixmpp's MUC plugin raises room presence as groupchat_presence only.
    session.xmpp.add_event_handler("groupchat_presence", on_presence)
    try:
        yield
        await asyncio.wait_for(gone, EFFECT_S)
    finally:
        session.xmpp.del_event_handler("groupchat_presence", on_presence)


async def test_origin_added_to_alpha_main_from_the_command_line_opens_the_gateway_at_once(
        lab: dict[str, Any]) -> None:
    settings = load_settings(site(lab, ALPHA)["config"])
    before = next(w for w in await list_widgets(settings) if w.id == "alpha-main")
    bosh = site(lab, ALPHA)["gateway"]["bosh"]
    page = "https://library.alpha.example:8443"

    async def preflight() -> int:
        async with aiohttp.ClientSession() as http, http.options(bosh, headers={
                "Origin": page, "Access-Control-Request-Method": "POST"}) as answer:
            return answer.status

    assert await preflight() == 403
    refdesk(lab, "widget", "change", "alpha-main",
            *(f"--origin={o}" for o in (*before.allowed_origins, page)))
    try:
        await eventually(preflight, expected=204, timeout=EFFECT_S)
    finally:
        restore = [f"--origin={o}" for o in before.allowed_origins] or ["--no-origins"]
        refdesk(lab, "widget", "change", "alpha-main", *restore)
    await eventually(preflight, expected=403, timeout=EFFECT_S)
