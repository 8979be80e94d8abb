"""The FAQs in the console: beside a chat, the librarian covering a patron searches the patron's
home library's FAQs as they type, sees its 24/7 Staffing answers marked staff-only (and never
offered for insertion), and inserts a public answer to send; a library's local admins keep the
FAQs in their own section, found at once beside every chat, and move them as CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Final

from playwright.async_api import Browser, FilePayload, Locator, Page, expect

from tests.integration.browser import browser
from tests.integration.consolefaq import (
    FAQ_NS,
    create_group,
    delete,
    delete_group_named,
    faq_console,
    faq_request,
    groups,
    save_faq,
    staffing_group,
)
from tests.integration.consolepage import (
    NARROW,
    UI_TIMEOUT_MS,
    axe_clean,
    section,
    shoot,
)
from tests.integration.queue import request
from tests.integration.test_console_browser_chats import claim_in_console, nobody_left_waiting
from tests.integration.xmpp import Session, operator, patron

__all__ = ["browser", "nobody_left_waiting"]  # fixtures

ALPHA: Final = "alpha.test"
ALPHA_NAME: Final = "Alpha University Library"
NAVIGATION: Final = "Console sections"
STAFF_ONLY: Final = "Staff only — do not send to the patron"
PUBLIC_Q: Final = "Can I borrow the theremin from the music library?"
PUBLIC_A: Final = ("Yes: card holders borrow the theremin for a week from the music desk, "
                   "level 2.")
STAFF_Q: Final = "Theremin loans asked for by a patron of another library"
STAFF_A: Final = ("Do not promise one: only Alpha card holders may borrow it. Call the music "
                  "desk on extension 4410.")
OFFER_S: Final = UI_TIMEOUT_MS / 1000
SEARCH_READING_ROOM: Final = (f'<search xmlns="{FAQ_NS}" max="5"><text>reading room open'
                              '</text></search>')


def knowledge(page: Page) -> Locator:
    return page.get_by_role("complementary", name="The patron's library")


def found(page: Page, question: str) -> Locator:
    return knowledge(page).get_by_role("list", name="FAQs found").get_by_role(
        "listitem").filter(has_text=question)


async def claimed_alpha_chat(page: Page, pat: Session, name: str, question: str) -> str:
    """An Alpha patron asks; the librarian at `page` claims the chat in the console."""
    asked = await request(pat, ALPHA, "alpha-main", question, name=name)
    await claim_in_console(page, name)
    # The pane opens with the focus in the message field: only then does the librarian turn
    # to the FAQs beside it.
    await expect(page.get_by_label("Message to the patron")).to_be_focused(
        timeout=UI_TIMEOUT_MS)
    return str(asked["refdesk_chat"]["jid"])


async def test_beta_librarian_covering_an_alpha_chat_finds_alphas_faqs_staff_only_marked_and_sends_the_public_answer(  # noqa: E501
        lab: dict[str, Any], browser: Browser) -> None:
    async with operator(lab, "ann@alpha.test") as ann:
        music = await create_group(ann, ALPHA, "Music library", "public")
        staff_faq = await save_faq(ann, ALPHA, await staffing_group(ann, ALPHA), STAFF_Q,
                                   STAFF_A, "theremin")
        await save_faq(ann, ALPHA, music, PUBLIC_Q, PUBLIC_A, "instrument")
        try:
            async with faq_console(browser, lab, "basil@beta.test") as basil, \
                    patron(lab, ALPHA) as pat:
                page = basil.page
                chat = await claimed_alpha_chat(page, pat, "Theo",
                                                "Can I take an instrument home?")
                search = knowledge(page).get_by_label(f"Search the FAQs of {ALPHA_NAME}")
                await search.press_sequentially("theremi")  # a prefix: results follow typing
                public, staff = found(page, PUBLIC_Q), found(page, STAFF_Q)
                await expect(staff).to_contain_text(STAFF_ONLY, timeout=UI_TIMEOUT_MS)
                await expect(staff).to_contain_text(STAFF_A)
                await expect(staff.get_by_role("button", name="Insert")).to_have_count(0)
                await expect(public).to_contain_text(PUBLIC_A)
                await expect(public).not_to_contain_text(STAFF_ONLY)
                await axe_clean(page)
                await shoot(page, "faqs-01-beside-the-chat")

                await public.get_by_role("button", name="Insert").click()
                composer = page.get_by_label("Message to the patron")
                await expect(composer).to_have_value(PUBLIC_A)
                await expect(composer).to_be_focused()
                await page.keyboard.press("Enter")
                said = await pat.messages.wait_for(
                    lambda m: m["body"] == PUBLIC_A, timeout=OFFER_S)
                assert said["from"].bare == chat
                assert not any(STAFF_A in str(m["body"]) for m in pat.messages.items)
                await page.get_by_role("button", name="End chat").click()
                assert basil.valid_faq_payloads() >= 2  # a search and its results at least
        finally:
            await delete(ann, ALPHA, "group", music)
            await delete(ann, ALPHA, "faq", staff_faq)


async def test_alpha_admin_adds_a_faq_from_the_keyboard_and_another_librarian_finds_it_at_once(
        lab: dict[str, Any], browser: Browser) -> None:
    question = "Where are the parish registers on microfilm?"
    answer = "In the local studies room, cabinet 3; ask at the desk for the reader."
    async with operator(lab, "ann@alpha.test") as admin:
        await delete_group_named(admin, ALPHA, "Local history")  # a failed run's, if any
    async with faq_console(browser, lab, "ann@alpha.test") as ann, \
            faq_console(browser, lab, "ava@alpha.test") as ava, patron(lab, ALPHA) as pat:
        await section(ann.page, "FAQs")
        await new_group_by_keyboard(ann.page, "Local history", "public")
        item = group_item(ann.page, "Local history")
        await expect(item).to_contain_text("Public · 0 FAQs", timeout=UI_TIMEOUT_MS)
        await item.get_by_role("button", name="Open FAQs").press("Enter")
        await add_faq_by_keyboard(ann.page, question, answer, "microfilm genealogy")
        await expect(ann.page.get_by_role("list", name="FAQs of Local history")).to_contain_text(
            answer, timeout=UI_TIMEOUT_MS)
        await expect(item).to_contain_text("Public · 1 FAQ", timeout=UI_TIMEOUT_MS)
        await axe_clean(ann.page)
        await shoot(ann.page, "faqs-02-section")

        await claimed_alpha_chat(ava.page, pat, "Rhea", "Parish registers?")
        await knowledge(ava.page).get_by_label(f"Search the FAQs of {ALPHA_NAME}").fill(
            "parish registers")
        await expect(found(ava.page, question)).to_contain_text(answer, timeout=UI_TIMEOUT_MS)
        await axe_clean(ava.page)

        await item.get_by_role("button", name="Delete group").press("Enter")
        confirm = item.get_by_role("button", name="Delete group and FAQs")
        await expect(confirm).to_be_focused()
        await axe_clean(ann.page)
        await ann.page.keyboard.press("Enter")
        await expect(group_item(ann.page, "Local history")).to_have_count(0,
                                                                          timeout=UI_TIMEOUT_MS)
        await knowledge(ava.page).get_by_label(f"Search the FAQs of {ALPHA_NAME}").fill(
            "parish register")
        await expect(knowledge(ava.page)).to_contain_text("No FAQ matches",
                                                          timeout=UI_TIMEOUT_MS)
        await ava.page.get_by_role("button", name="End chat").click()
        assert ann.valid_faq_payloads() >= 8  # groups, group, faqs, faq, delete-group, …
        assert ava.valid_faq_payloads() >= 4


async def test_alpha_admin_edits_a_faq_makes_its_group_internal_and_deletes_the_faq(
        lab: dict[str, Any], browser: Browser) -> None:
    edited = "Mon to Fri 8 to 22, weekends 10 to 18; ID needed after 20."
    async with operator(lab, "ann@alpha.test") as admin:
        for name in ("Reading room", "Reading rooms"):
            await delete_group_named(admin, ALPHA, name)  # a failed run's, if any
        group = await create_group(admin, ALPHA, "Reading room", "public")
        await save_faq(admin, ALPHA, group, "When is the reading room open?", "Always.")
        async with faq_console(browser, lab, "ann@alpha.test") as ann:
            page = ann.page
            await section(page, "FAQs")
            await group_item(page, "Reading room").get_by_role("button",
                                                               name="Open FAQs").click()
            faqs = page.get_by_role("list", name="FAQs of Reading room")
            await faqs.get_by_role("button", name="Edit FAQ").click()
            await expect(page.get_by_label("Question")).to_be_focused()
            await page.get_by_label("Answer").fill(edited)
            await axe_clean(page)
            await shoot(page, "faqs-04-editing")
            await page.get_by_role("button", name="Save FAQ").click()
            await expect(faqs).to_contain_text(edited, timeout=UI_TIMEOUT_MS)
            found_now = await faq_request(admin, ALPHA, "get", SEARCH_READING_ROOM)
            assert [faq.findtext(f"{{{FAQ_NS}}}answer") for faq in found_now] == [edited]

            await group_item(page, "Reading room").get_by_role("button",
                                                               name="Edit group").click()
            await page.get_by_label("Group name").fill("Reading rooms")
            await page.get_by_label("Who may read it").select_option("internal")
            await page.get_by_role("button", name="Save group").click()
            item = group_item(page, "Reading rooms")
            await expect(item).to_contain_text("Internal · 1 FAQ", timeout=UI_TIMEOUT_MS)
            await expect(page.get_by_role("heading", name="Reading rooms")).to_be_visible()

            faqs = page.get_by_role("list", name="FAQs of Reading rooms")
            await faqs.get_by_role("button", name="Delete FAQ").click()
            await expect(faqs.get_by_role("button", name="Delete FAQ")).to_be_focused()
            await page.keyboard.press("Enter")
            await expect(page.get_by_text("No FAQ in Reading rooms yet.")).to_be_visible(
                timeout=UI_TIMEOUT_MS)
            await expect(item).to_contain_text("Internal · 0 FAQs", timeout=UI_TIMEOUT_MS)
            assert (await groups(admin, ALPHA))["Reading rooms"].get("availability") == \
                "internal"
            assert ann.valid_faq_payloads() >= 8
        await delete_group_named(admin, ALPHA, "Reading rooms")


async def test_csv_export_then_import_round_trips_a_group_and_a_bad_row_is_named_by_line(
        lab: dict[str, Any], browser: Browser) -> None:
    answer = 'Two hours, "renewable" once,\nif nobody waits: =not a formula'
    async with operator(lab, "ann@alpha.test") as admin:
        try:
            group = await create_group(admin, ALPHA, "Study rooms", "internal")
            await save_faq(admin, ALPHA, group, "How long may I keep a study room?", answer,
                           "booking")
            async with faq_console(browser, lab, "ann@alpha.test") as ann:
                page = ann.page
                await section(page, "FAQs")
                async with page.expect_download() as downloading:
                    await page.get_by_role("button", name="Export CSV").click()
                exported = await (await downloading.value).path()
                rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
                ours = [row for row in rows if row["group"] == "Study rooms"]
                assert [(r["availability"], r["answer"], r["keywords"]) for r in ours] == [
                    ("internal", answer, "booking")]

                await delete(admin, ALPHA, "group", group)
                await import_csv(page, _csv(ours))
                await expect(page.get_by_role("main").get_by_text(
                    "Imported 1 FAQ into 1 group.")).to_be_visible(
                    timeout=UI_TIMEOUT_MS)
                item = group_item(page, "Study rooms")
                await expect(item).to_contain_text("Internal · 1 FAQ", timeout=UI_TIMEOUT_MS)
                await item.get_by_role("button", name="Open FAQs").click()
                await expect(page.get_by_role("list", name="FAQs of Study rooms")).to_contain_text(
                    "renewable", timeout=UI_TIMEOUT_MS)

                good = {**ours[0], "question": "May I book a study room for a group?",
                        "answer": "Yes, for up to six people."}
                await import_csv(page, _csv([good, {**good, "availability": "sometimes"}]))
                await expect(page.get_by_role("alert")).to_contain_text(
                    re.compile(r"line 3", re.IGNORECASE), timeout=UI_TIMEOUT_MS)
                await expect(item).to_contain_text("Internal · 1 FAQ")  # all rows or none
                await axe_clean(page)
                await shoot(page, "faqs-03-csv")
                assert ann.valid_faq_payloads() >= 6
        finally:
            await delete_group_named(admin, ALPHA, "Study rooms")


async def test_a_regular_librarian_has_no_faqs_section_and_the_narrow_console_still_works(
        lab: dict[str, Any], browser: Browser) -> None:
    async with faq_console(browser, lab, "abe@alpha.test") as abe:
        nav = abe.page.get_by_role("navigation", name=NAVIGATION)
        await expect(nav.get_by_role("button", name="Settings")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await expect(nav.get_by_role("button", name="FAQs")).to_have_count(0)
    async with faq_console(browser, lab, "ann@alpha.test", NARROW) as ann:
        await section(ann.page, "FAQs")
        await ann.page.get_by_role("button", name="New group").click()
        await expect(ann.page.get_by_label("Group name")).to_be_focused()
        await axe_clean(ann.page)
        width = await ann.page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"]  # nothing to scroll sideways at 420 px
        await ann.page.keyboard.press("Escape")
        await expect(ann.page.get_by_label("Group name")).to_have_count(0)
        await expect(ann.page.get_by_role("button", name="New group")).to_be_focused()


def group_item(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name="Groups").get_by_role("listitem").filter(
        has=page.get_by_text(name, exact=True))


async def new_group_by_keyboard(page: Page, name: str, availability: str) -> None:
    await page.get_by_role("button", name="New group").press("Enter")
    await expect(page.get_by_label("Group name")).to_be_focused()
    await page.keyboard.type(name)
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Who may read it")).to_be_focused()
    await page.get_by_label("Who may read it").select_option(availability)
    await page.get_by_label("Group name").press("Enter")


async def add_faq_by_keyboard(page: Page, question: str, answer: str, keywords: str) -> None:
    await page.get_by_role("button", name="Add FAQ").press("Enter")
    await expect(page.get_by_label("Question")).to_be_focused()
    await page.keyboard.type(question)
    await page.keyboard.press("Tab")
    await page.keyboard.type(answer)
    await page.keyboard.press("Tab")
    await page.keyboard.type(keywords)
    await page.keyboard.press("Enter")


async def import_csv(page: Page, text: str) -> None:
    await page.get_by_label("CSV file to import").set_input_files(
        FilePayload(name="faqs.csv", mimeType="text/csv", buffer=text.encode()))
    await page.get_by_role("button", name="Import CSV").click()


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["group", "availability", "question", "answer", "keywords"],
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
