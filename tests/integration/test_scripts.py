"""Scripted messages across the federation: a Beta librarian covering an Alpha patron sends
Alpha's scripts into the chat, by `!script <name>` from any client and by <send-script/> from
the console; the patron sees Alpha's text as the librarian's own line and Alpha's transcript
keeps the script's name. Nobody else can send one, a wrong name reaches no patron, a patron
cannot read a library's scripts, and only its local admins change them."""

from __future__ import annotations

from typing import Any

from slixmpp import JID
from slixmpp.xmlstream import ET

from components.archive.stanzas import NS as ARCHIVE_NS
from refdesk.lab.sample_scripts import SCRIPTS
from tests.integration.archive import transcript
from tests.integration.console import copy_of
from tests.integration.poezio import shown_by_poezio
from tests.integration.queue import (
    asking,
    carrying,
    chat_id,
    claim_by_text,
    command,
    coop_room,
    join,
    notes,
)
from tests.integration.scripts import element, refusal, save, scripts, send_script
from tests.integration.xmpp import Session, operator, patron

ALPHA = SCRIPTS["alpha.test"]


async def typed(session: Session, chat: str, line: str) -> str:
    """Type a line in the chat, as in any client; the queue's answer to its typist."""
    since = session.messages.mark()
    session.xmpp.send_message(mto=JID(chat), mbody=line, mtype="chat")
    reply = await session.messages.wait_for(
        lambda m: m["from"] == chat and m["type"] == "chat" and bool(m["body"]), since=since)
    return str(reply["body"])


async def patron_hears(pat: Session, chat: str, text: str, since: int) -> list[str]:
    """Wait for `text` from the chat; every line the patron got from it up to then."""
    await pat.messages.wait_for(lambda m: m["from"] == chat and m["body"] == text,
                                since=since, timeout=15)
    return [str(m["body"]) for m in pat.messages.items[since:] if m["from"] == chat]


def lines(found: ET.Element) -> list[ET.Element]:
    return found.findall(f"{{{ARCHIVE_NS}}}line")


async def test_a_beta_librarian_sends_alpha_scripts_to_an_alpha_patron_as_her_own_lines(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "abe@alpha.test") as abe,
                operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "Help with my essay?") as chat:
            await ben.messages.wait_for(carrying("offer", chat), timeout=30)
            assert "holds this chat" in await typed(ben, chat, "!script homework")
            await claim_by_text(ben, chat)
            assert (await typed(ann, chat, "!supervise")).startswith("You are supervising")
            since = pat.messages.mark()

            listed = await typed(ben, chat, "!script")
            assert all(name in listed for name in ALPHA)
            unknown = await typed(ben, chat, "!script nosuch")
            assert "no script 'nosuch'" in unknown and "homework" in unknown
            assert await typed(ben, chat, "!script HOMEWORK") == (
                f"Sent homework: {ALPHA['homework']}")
            before = ben.messages.mark()
            send_script(ben, chat, "nosuch", "a body the patron must not get")
            await ben.messages.wait_for(
                lambda m: m["from"] == chat and "no script 'nosuch'" in m["body"], since=before)
            send_script(ben, chat, "reserves", "what the console showed")
            heard = await patron_hears(pat, chat, ALPHA["reserves"], since)
            assert heard == [ALPHA["homework"], ALPHA["reserves"]]
            # Alpha's admin, supervising, has each as a copy of Ben's line.
            await ann.messages.wait_for(copy_of(chat, "operator", ALPHA["reserves"]))
            await ann.messages.wait_for(copy_of(chat, "operator", ALPHA["homework"]))

            # Abe may see the chat but does not hold it: his script reaches nobody.
            assert "holds this chat" in await typed(abe, chat, "!script offcampus")
            before = abe.messages.mark()
            send_script(abe, chat, "offcampus", ALPHA["offcampus"])
            await abe.messages.wait_for(
                lambda m: m["from"] == chat and "holds this chat" in m["body"], since=before)
            since = pat.messages.mark()
            ben.xmpp.send_message(mto=JID(chat), mbody="Anything else?", mtype="chat")
            assert await patron_hears(pat, chat, "Anything else?", since) == ["Anything else?"]
            everything = "\n".join(str(m) for m in pat.messages.items)
            assert "ben@beta.test" not in everything and "nosuch" not in everything
            assert "!script" not in everything and ALPHA["offcampus"] not in everything
            assert "must not get" not in everything and "console showed" not in everything

            said = lines(await transcript(ben, "alpha.test", chat_id(chat)))
            scripted = [(line.get("script"), line.get("sender"), line.get("nick"), line.text)
                        for line in said if line.get("script")]
            assert scripted == [("homework", "operator", "Ben", ALPHA["homework"]),
                                ("reserves", "operator", "Ben", ALPHA["reserves"])]
            assert all(ALPHA["offcampus"] != line.text for line in said)


async def test_a_patron_reads_no_scripts_and_is_answered_as_if_there_were_none(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "alpha.test") as pat, operator(lab, "ann@alpha.test") as ann:
        absent = await refusal(ann, "alpha.test", element("delete-script", name="nosuch"),
                               "set")
        assert absent[0] == "item-not-found"
        assert await refusal(pat, "alpha.test", element("scripts")) == (
            "item-not-found", "There are no scripts here.")
        for request in (element("script", "Pay me.", name="homework"),
                        element("delete-script", name="homework")):
            assert (await refusal(pat, "alpha.test", request, "set"))[0] == "item-not-found"
        since = pat.messages.mark()
        pat.xmpp.send_message(mto=JID("faq.alpha.test"), mbody="!scripts", mtype="chat")
        answer = await pat.messages.wait_for(lambda m: m["from"] == "faq.alpha.test",
                                             since=since)
        assert answer["body"] == "There are no scripts here."


async def test_only_alpha_local_admins_change_its_scripts_and_co_op_staff_read_them(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "abe@alpha.test") as abe,
                operator(lab, "ben@beta.test") as ben):
        saved = await save(ann, "alpha.test", "printing", "  Printing costs 10 cents a page.")
        assert (saved.get("name"), saved.text) == ("printing", "Printing costs 10 cents a page.")
        assert (await scripts(ben, "alpha.test"))["printing"] == (
            "Printing costs 10 cents a page.")
        for editor in (abe, ben):
            for request in (element("script", "Free!", name="printing"),
                            element("delete-script", name="printing")):
                assert (await refusal(editor, "alpha.test", request, "set"))[0] == "forbidden"
        for bad in (element("script", "x", name="no way"), element("script", name="empty"),
                    element("script", "x" * 4001, name="long")):
            assert (await refusal(ann, "alpha.test", bad, "set", invalid=True))[0] == (
                "bad-request")

        # Stock clients: the ad-hoc command lists them with their text; `!scripts` too.
        shown = await command(ben, "faq.alpha.test", "scripts")
        assert "printing: Printing costs 10 cents a page." in shown_by_poezio(shown)
        assert len(shown["command"]["notes"]) == 1
        since = ben.messages.mark()
        ben.xmpp.send_message(mto=JID("faq.alpha.test"), mbody="!scripts", mtype="chat")
        listed = await ben.messages.wait_for(lambda m: m["from"] == "faq.alpha.test",
                                             since=since)
        assert f"homework: {ALPHA['homework']}" in listed["body"]

        form = await command(ann, "faq.alpha.test", "scripts")
        assert "printing: Printing costs 10 cents" in shown_by_poezio(form)
        values = form["command"]["form"]
        values["type"] = "submit"
        for var, value in (("action", "delete"), ("name", "printing")):
            values.get_fields()[var]["value"] = value
        done = await command(ann, "faq.alpha.test", "scripts", action="complete",
                             payload=values, sessionid=form["command"]["sessionid"])
        assert notes(done) == "Script printing deleted."
        assert "printing" not in await scripts(ben, "alpha.test")
