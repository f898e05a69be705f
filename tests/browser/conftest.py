"""Real-browser journeys: Playwright drives Debian's Chromium against pytest-django's live
server, loaded with the Balangan seed data and the demo users."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary blocking calls, which Django must be told to allow.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def seeded(transactional_db: None) -> None:
    call_command("load_seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Demo users are refused outside DEBUG (shared passwords); these tests want exactly them.
    with override_settings(DEBUG=True):
        call_command("demo_users", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def page(browser, live_server, seeded, settings) -> Iterator[object]:
    # As in `make demo`: the demo users keep their shared password (the forced change outside
    # demo mode has its own tests).
    settings.KINERJA_FORCE_PASSWORD_CHANGE = False
    context = browser.new_context(
        accept_downloads=True, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.base = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def menu(page, label: str) -> None:
    """Follow an item of the main menu, as a person does (no typed URLs)."""
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name=label, exact=True
    ).click()
    page.wait_for_load_state()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def login(page, username: str, password: str = "demo12345") -> None:
    page.goto(page.base + "/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
