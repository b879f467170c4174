"""The review page in a real headless Chromium (Debian's chromium + chromium-driver, via selenium).

Nothing downloads a browser or a driver: both paths are given explicitly and
selenium-manager is told to stay offline. Skipped only when /usr/bin/chromium
is absent.
"""

from __future__ import annotations

import importlib.util
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DATA = Path(__file__).resolve().parents[2] / "data" / "report"
WIDTH, HEIGHT = 1366, 900

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_make_catalog", DATA / "make_catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from glossary import load_glossary
    from translate.review_page.page import build_report, render_html

    folder = tmp_path_factory.mktemp("report")
    glossary = load_glossary(DATA / "glossary.yaml")
    catalog = _load_maker().write_catalog(
        folder / "locales" / "de" / "LC_MESSAGES" / "nato-armenia-azerbaijan.po", glossary.digest
    )
    out = folder / "review.html"
    out.write_text(render_html(build_report(catalog, glossary, "de")), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory, page_file: Path) -> Iterator[Any]:
    # Imported here so a machine without chromium skips instead of failing on the import.
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMEDRIVER.exists(), "install Debian's chromium-driver next to chromium"
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(flag)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # selenium-manager must not fetch anything
        browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        # The exact viewport, whatever the window decorations of this Chromium build.
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        browser.get(page_file.as_uri())
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def fresh(driver: Any, page_file: Path) -> Any:
    """The page as loaded: filter off, nothing focused."""
    driver.get(page_file.as_uri())
    return driver


def _css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


OUTCOMES = ["settled", "forced", "substituted", "unresolved", "review", "quoted"]


@pytest.mark.parametrize("outcome", OUTCOMES, ids=OUTCOMES)
def test_highlights_by_outcome(fresh: Any, outcome: str) -> None:
    marks = _css(fresh, f"main mark.occ.outcome-{outcome}")
    assert marks, outcome
    assert all(m.get_attribute("data-outcome") == outcome for m in marks)
    assert all(m.get_attribute("tabindex") == "0" for m in marks)
    assert all(m.is_displayed() for m in marks)


def test_hostile_text_is_not_live(fresh: Any) -> None:
    counts = fresh.execute_script(
        "return [document.querySelectorAll('img, a, iframe').length,"
        " document.scripts.length,"
        " document.querySelectorAll('[onerror], [onclick], [onload], [href], [src]').length];"
    )
    assert counts == [0, 1, 0]
    body = fresh.find_element("tag name", "main").text
    assert "<img src=x onerror=alert(1)>" in body
    assert '<a href="javascript:alert(1)">javascript:alert(1)</a>' in body


def test_focus_shows_the_tooltip(fresh: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    mark = _css(fresh, 'main mark.occ[data-concept="occupied"]')[0]
    tip = mark.find_element("css selector", ".tip")
    assert not tip.is_displayed()
    fresh.execute_script("arguments[0].focus();", mark)
    assert tip.is_displayed()
    text = tip.text
    for expected in ("occupied", "review", "step none", "besetzt",
                     "A legal and political characterisation <script>alert(1)</script>"):
        assert expected in text
    ActionChains(fresh).send_keys(Keys.ESCAPE).perform()
    assert not tip.is_displayed()


def test_keyboard_reaches_the_highlights(fresh: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    # First stop: the filter; then the first highlight of the first paragraph.
    ActionChains(fresh).send_keys(Keys.TAB).perform()
    assert fresh.switch_to.active_element.get_attribute("id") == "only-editor"
    ActionChains(fresh).send_keys(Keys.TAB).perform()
    active = fresh.switch_to.active_element
    assert active.get_attribute("class").split()[0] == "occ"
    assert active.find_element("css selector", ".tip").is_displayed()


def test_filter_hides_and_shows_again_by_keyboard(fresh: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    calm = _css(fresh, 'main .para[data-needs-editor="false"]')
    busy = _css(fresh, 'main .para[data-needs-editor="true"]')
    assert len(calm) == 5 and len(busy) == 5
    box = fresh.find_element("id", "only-editor")
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    assert not any(p.is_displayed() for p in calm)
    assert all(p.is_displayed() for p in busy)
    assert fresh.find_element("id", "shown").text == "Showing 5 of 10 paragraphs"
    box.send_keys(Keys.SPACE)
    assert not box.is_selected()
    assert all(p.is_displayed() for p in calm + busy)
    assert fresh.find_element("id", "shown").text == "Showing 10 of 10 paragraphs"


def test_no_network_request(fresh: Any) -> None:
    resources = fresh.execute_script("return performance.getEntriesByType('resource').length;")
    assert resources == 0
    policy = fresh.execute_script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content;")
    assert policy.startswith("default-src 'none'")


def test_screenshot(fresh: Any, tmp_path: Path) -> None:
    shot = tmp_path / "review.png"
    assert fresh.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    assert len(data) > 20_000  # a rendered page, not a blank one
    if os.environ.get("TERMGUARD_REPORT_SCREENSHOT"):  # keep a copy to look at
        Path(os.environ["TERMGUARD_REPORT_SCREENSHOT"]).write_bytes(data)
