"""The report in a real browser: headless Chromium driven by Selenium.

Each bundled menu's report (a small ``ivrlint simulate MENU --report DIR``) is
opened at 1280 px and at 390 px (a phone), with JavaScript on and with it
off: the page logs no console error, every image loads, nothing is wider than
the window unless it sits in a box that scrolls sideways on its own (the
tables), and the cards and tables are there with their human labels. Printed
(print media at an A4 page's width, then to PDF) with JavaScript off, nothing
is wider than the paper, where nothing scrolls.

Nothing is downloaded: the browser and its driver are the system's, Debian's
``chromium`` and ``chromium-driver`` (/usr/bin/chromium, /usr/bin/chromedriver;
IVRLINT_CHROMIUM and IVRLINT_CHROMEDRIVER name others), and Selenium is given
both paths, so Selenium Manager never runs. Without them, or without
selenium (the ``test`` extra), the tests skip and say what to install.

``python tests/test_report_browser.py docs/report.png`` takes the README's
screenshot: the bank menu's report as ``make demo`` writes it, at 1280 px.
"""

from __future__ import annotations

import base64
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import GOOD_MENUS, run_cli  # noqa: E402  (also run as a script, for the screenshot)

from ivrlint.menu.loader import load_menu  # noqa: E402
from ivrlint.report.html import FIGURES  # noqa: E402
from ivrlint.report.page import CALLBACK_SUMMARY, LABELS, POOL_WORDS, REDIAL_SUMMARY, SUMMARY, label  # noqa: E402

CHROMIUM = os.environ.get("IVRLINT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("IVRLINT_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL = "apt-get install chromium chromium-driver"


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"no {package} at {path}: {INSTALL} (the tests never download a browser)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    return None


MISSING = _missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

WIDTHS = {"desktop": (1280, False), "phone": (390, True)}  # (CSS pixels, a mobile viewport)
PAPER = 718  # an A4 page less Chromium's default margins, in CSS pixels

#: Elements outside the window, those inside a box that scrolls sideways by itself left out.
OVERFLOW = """
const width = document.documentElement.clientWidth;
const scrolls = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if ((r.width || r.height) && (r.left < -0.5 || r.right > width + 0.5) && !scrolls(el))
    wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} ${Math.round(r.left)}..${Math.round(r.right)}`);
}
return {width: width, page: document.documentElement.scrollWidth, wide: wide.slice(0, 10)};
"""
IMAGES = "return Array.from(document.images, i => [i.getAttribute('src'), i.complete, i.naturalWidth]);"
#: [tooltip, visible text, shown] of each label with a tooltip, in cards and in table headers.
LABELLED = """
return Array.from(document.querySelectorAll(arguments[0]), a => [a.title, a.innerText.trim(), a.offsetWidth > 0]);
"""


def browser(javascript: bool):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager, were it to run, may not download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--force-color-profile=srgb"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def open_page(driver, page: Path, width: int, mobile: bool = False, height: int = 900, media: str = "") -> list[dict]:
    """Load `page` in a `width` px viewport; returns the console's errors while loading."""
    driver.get_log("browser")  # drops what earlier pages logged
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    driver.get(page.resolve().as_uri())
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.fixture(scope="module")
def browsers():
    """One Chromium with JavaScript on and one with it off, each started when first asked for."""
    started: dict[bool, object] = {}

    def get(javascript: bool):
        if javascript not in started:
            started[javascript] = browser(javascript)
        return started[javascript]
    yield get
    for session in started.values():
        session.quit()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """index.html of each bundled menu's report: a small simulation, as a user runs it."""
    pages = {}
    for path in GOOD_MENUS:
        out = tmp_path_factory.mktemp("browser") / path.stem
        result = run_cli("simulate", path, "--hours", "1", "--replications", "2", "--jobs", "1", "--seed", "1",
                         "--quiet", "--report", out)
        assert result.code == 0, result.err
        pages[path.stem] = out / "index.html"
    return pages


MENU_NAMES = [p.stem for p in GOOD_MENUS]


def expected_cards(name: str) -> list[str]:
    """The summary cards of a bundled menu's report: per-caller ones where callers redial, callbacks where offered."""
    [path] = [p for p in GOOD_MENUS if p.stem == name]
    menu = load_menu(str(path))
    redials = menu.traffic is not None and menu.traffic.redial is not None
    callbacks = any(q.callback is not None for q in menu.queues.values())
    return list(SUMMARY) + (list(REDIAL_SUMMARY) if redials else []) + (list(CALLBACK_SUMMARY) if callbacks else [])
JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])


@JAVASCRIPT
def test_the_browser_runs_scripts_only_when_asked(browsers, javascript, tmp_path):
    """What 'JavaScript off' means here: a page's own script does not run."""
    driver = browsers(javascript)
    page = tmp_path / "script.html"
    page.write_text("<!DOCTYPE html><title>before</title><script>document.title = 'ran'</script>", encoding="utf-8")
    open_page(driver, page, 800)
    assert driver.title == ("ran" if javascript else "before")


@JAVASCRIPT
@pytest.mark.parametrize("screen", WIDTHS)
@pytest.mark.parametrize("name", MENU_NAMES)
def test_the_report_reads_in_a_browser(browsers, reports, name, screen, javascript):
    driver = browsers(javascript)
    width, mobile = WIDTHS[screen]
    errors = open_page(driver, reports[name], width, mobile)
    assert errors == []
    images = driver.execute_script(IMAGES)
    assert len(images) == len(FIGURES) and all(done and natural > 0 for _, done, natural in images), images
    fit = driver.execute_script(OVERFLOW)
    assert fit["width"] == width and fit["page"] <= fit["width"] and fit["wide"] == [], fit
    cards = driver.execute_script(LABELLED, ".card abbr")
    assert [title for title, _, _ in cards] == expected_cards(name)
    assert all(text == label(title) and shown for title, text, shown in cards), cards
    headers = driver.execute_script(LABELLED, "th abbr")
    figures = {title for title, _, _ in headers}
    assert {"calls", "p_goal", "p_person", "ivr_seconds", "p_wait", "service_level", "share"} <= figures
    assert all(text in (label(title, per_replication=True), label(title, per_replication=False),
                        label(title, False, POOL_WORDS), label(title, True, POOL_WORDS))
               for title, text, _ in headers if title in LABELS)  # a pool table's own words: "of the pool's calls"
    assert len(driver.find_elements("css selector", ".wide > table")) >= 7
    shown = driver.execute_script("return document.body.innerText")
    assert not [m for m in LABELS if "_" in m and re.search(rf"\b{m}\b", shown)]  # no bare metric name in view


@pytest.mark.parametrize("name", MENU_NAMES)
def test_the_report_prints_on_a_page_s_width_without_javascript(browsers, reports, name):
    from selenium.webdriver.common.print_page_options import PrintOptions

    driver = browsers(False)
    assert open_page(driver, reports[name], PAPER, media="print") == []
    fit = driver.execute_script(OVERFLOW.replace("o === 'auto' || o === 'scroll'", "false"))  # paper scrolls not
    assert fit["page"] <= fit["width"] and fit["wide"] == [], fit
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(driver.print_page(PrintOptions()))
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2


@JAVASCRIPT
def test_the_checks_catch_what_they_look_for(browsers, javascript, tmp_path):
    """A page with a missing image and a block wider than the window fails both checks; in a box
    that scrolls by itself, the wide block passes."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><meta name="viewport" content="width=device-width"><body style="margin:0">'
                    '<img src="gone.svg">'
                    '<div id="w" style="width:2000px">wide</div>'
                    '<div style="overflow-x:auto"><div style="width:2000px">boxed</div></div>', encoding="utf-8")
    driver = browsers(javascript)
    errors = open_page(driver, page, 390, mobile=True)
    assert [e for e in errors if "gone.svg" in e["message"]]
    assert driver.execute_script(IMAGES)[0][2] == 0
    fit = driver.execute_script(OVERFLOW)
    assert fit["page"] > fit["width"] and fit["wide"] == ["div 0..2000"]


def screenshot(target: str) -> None:
    """The README's picture: the bank menu's report as `make demo` writes it, the top of it at 1280 px."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "northbank-retail"
        result = run_cli("simulate", "menus/bank.yaml", "--hours", "4", "--replications", "4", "--quiet", "--report", out,
                         cwd=Path(__file__).resolve().parent.parent)
        if result.code:
            sys.exit(result.err)
        driver = browser(javascript=False)
        try:
            open_page(driver, out / "index.html", 1280, height=1800)
            driver.save_screenshot(target)
        finally:
            driver.quit()


if __name__ == "__main__":
    if MISSING:
        sys.exit(MISSING)
    screenshot(sys.argv[1] if len(sys.argv) > 1 else "docs/report.png")
