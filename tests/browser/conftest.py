"""Headless Chromium (Debian's package, never a browser download) driven by Playwright."""

import os
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def settle(page):
    """Wait until the page's autosave has nothing left to send: a save that reached the live server after the
    test had ended would meet a database being flushed."""
    try:
        page.wait_for_function("""() => !document.querySelector("form[data-autosave]")
            || document.querySelector("form[data-autosave]").dataset.autosaveState === "idle" """, timeout=15000)
    except PlaywrightError:  # a page that is gone or never loaded has nothing to save
        pass


@pytest.fixture
def visit(browser, live_server):
    """visit(username) -> a logged-in page in German (None: anonymous)."""
    contexts = []

    def open_as(username=None, password="fondsflow-demo"):
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        if username:
            page.goto(f"{live_server.url}/anmelden/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        for page in context.pages:
            settle(page)
        context.close()
