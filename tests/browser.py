"""
Real Chromium for browser tests, through Playwright for Python.

Debian's /usr/bin/chromium is used as it is (nothing is downloaded). Where no Chromium
is installed the tests skip and say why, unless NEWSROOM_REQUIRE_BROWSER is set (as in
CI), where a missing browser is a failure.
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path():
    for candidate in [os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium"]:
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium) — browser tests skipped"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "required"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (setting up data) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
