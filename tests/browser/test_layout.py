"""The page frame and the public pages in a real browser: no WCAG 2.1 AA violation axe-core can find,
no sideways scrolling at 320 px (WCAG 1.4.10 reflow) or at 200 % zoom, and a visible focus on every
link a keyboard user tabs to."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.axe import violations
from workflows import demo

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def fund(transactional_db):
    call_command("sync_roles", stdout=open(os.devnull, "w"))
    return demo.create_base(timezone.localdate())["round"].fund


def public_paths(fund):
    return ["/", f"/fonds/{fund.pk}/", "/barrierefreiheit/", "/leichte-sprache/", "/datenschutz/", "/anmelden/"]


def go(page, path):
    response = page.goto(page.base + path)
    assert response.status == 200 and page.url == page.base + path, f"{path} answered {response.status} at {page.url}"


def submit_empty(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def fail_login(page):
    page.fill("#id_username", "alice")
    page.fill("#id_password", "not-her-password")
    submit_empty(page)


def test_the_public_pages_have_no_accessibility_violations(visit, fund):
    page = visit()
    for path in public_paths(fund):
        go(page, path)
        assert violations(page) == [], path

    go(page, "/barrierefreiheit/")
    submit_empty(page)
    assert page.locator("#fehler").is_visible() and page.locator("[aria-invalid=true]").count() == 1
    assert page.evaluate("document.activeElement.id") == "fehler"  # forms.js moved the focus to the summary
    assert violations(page) == [], "/barrierefreiheit/ after an empty submit"

    go(page, "/anmelden/")
    fail_login(page)
    assert violations(page) == [], "/anmelden/ after a failed login"


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px: a 1280 px window at 200 % zoom
def test_no_page_scrolls_sideways_on_a_narrow_screen(browser, live_server, fund, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.base = live_server.url
    try:
        for path in public_paths(fund):
            go(page, path)
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at {width} px"
        go(page, "/barrierefreiheit/")
        submit_empty(page)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"/barrierefreiheit/ with errors scrolls sideways at {width} px"
        go(page, "/anmelden/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", "fondsflow-demo")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        go(page, "/antraege/")  # the frame with a signed-in user's name and a table
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"/antraege/ scrolls sideways at {width} px"
    finally:
        context.close()


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    index: el.dataset.ffIndex || null,
    tag: el.tagName,
    text: (el.textContent || el.value || "").trim().slice(0, 60),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    onScreen: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def test_tabbing_through_the_home_page_reaches_every_link_with_a_visible_focus(visit, fund):
    page = visit()
    page.emulate_media(reduced_motion="reduce")  # the browser scrolls each focused link into view at once
    go(page, "/")
    links = page.evaluate("""() => Array.from(document.querySelectorAll("a[href]"))
        .map((a, i) => { a.dataset.ffIndex = String(i); return a.getAttribute("href"); })""")
    assert len(links) >= 8 and "#inhalt" in links and "/leichte-sprache/" in links

    reached, stops = set(), []
    for _ in range(len(links) + 20):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY" or (stops and state == stops[0]):
            break  # focus left the page or came round again
        stops.append(state)
        assert state["outline"] or state["shadow"], f"no visible focus on {state['tag']} “{state['text']}”"
        assert state["onScreen"], f"focused {state['tag']} “{state['text']}” is off screen"
        if state["index"] is not None:
            reached.add(int(state["index"]))

    missed = [links[i] for i in range(len(links)) if i not in reached]
    assert missed == [], f"tabbing never reaches {missed}"
    assert stops[0]["text"] == "Zum Inhalt springen"  # the skip link comes first and shows itself
