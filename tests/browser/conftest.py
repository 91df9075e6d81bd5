"""Playwright driving Debian's Chromium against live_server: one browser for the session."""

import os
import shutil
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (./dev setup installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# Every document reports what the Content-Security-Policy refused on the console, where the page
# fixture collects it: a browser test fails if anything it did was refused.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  "CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
  " at " + e.documentURI + ":" + e.lineNumber));
"""


def csp_violations(page) -> list[str]:
    return page.csp_violations


@pytest.fixture
def page(browser, live_server):
    # The first request of a live server imports the views (numpy, scikit-learn): seconds.
    urllib.request.urlopen(live_server.url + "/", timeout=60).read()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None)
    page.set_default_timeout(5000)
    yield page
    violations = list(page.csp_violations)
    page.csp_violations.clear()
    context.close()
    assert violations == [], "the Content-Security-Policy refused something"


def sign_in_page(page, username: str) -> None:
    """Sign `username` in through the login form of `page` (the demo password)."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector(f"header .who:has-text('{username}')")


@pytest.fixture
def sign_in(page):
    return lambda username: sign_in_page(page, username)


def shoot(page, name: str) -> None:
    # caret="initial": hiding the caret makes Playwright inject a <style>, which the CSP refuses
    # (reported later, failing whichever test took the screenshot).
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, caret="initial")
