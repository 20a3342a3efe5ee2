"""The page of `fzcheck serve` in headless Chromium (Debian: chromium, chromium-driver): a report
and a batch go through it as a user sends them, the batch showing each file as it is scored, and
axe-core (axe-core-python, which bundles it; no network) finds nothing wrong with the page, its
results or /docs. The drop zone is reached with the keyboard first.

One server and one browser serve every test here; each test starts from a freshly loaded page.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_serve import REPORT, SAMPLE_NAMES, SAMPLES, serving

CHROMEDRIVER, CHROMIUM = shutil.which("chromedriver"), shutil.which("chromium")
pytestmark = pytest.mark.skipif(not (CHROMEDRIVER and CHROMIUM),
                                reason="no chromium and chromedriver (Debian: apt install chromium chromium-driver)")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WEAK = SAMPLES / "baihu_district_2024_weak.txt"
RECORD_PROGRESS = """
window.progressSeen = [];
new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach(
    (node) => window.progressSeen.push(node.textContent)))).observe(document.getElementById("progress-text"), {childList: true});
"""
"""Every text the progress line shows, however briefly: a small batch is scored in a blink."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, webdriver.Chrome]]:
    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600",
                     f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM  # with both paths given, Selenium looks nothing up online
    with serving() as (url, _):
        browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
        try:
            yield url, browser
        finally:
            browser.quit()


def check(browser: webdriver.Chrome, path: Path | str) -> None:
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.ID, "submit").click()


def finished(browser: webdriver.Chrome) -> None:
    WebDriverWait(browser, 60).until(lambda driver: driver.find_element(By.ID, "status-text").text == "检查完成")


def test_a_report_shows_its_verdict_and_its_review(site) -> None:
    url, browser = site
    browser.get(url)
    browser.execute_script(RECORD_PROGRESS)
    check(browser, WEAK)
    verdict = WebDriverWait(browser, 60).until(expected_conditions.visibility_of_element_located((By.ID, "verdict")))
    assert "未通过" in verdict.text
    finished(browser)
    assert "已上传，正在检查…" in browser.execute_script("return window.progressSeen")
    assert not browser.find_element(By.ID, "progress-line").is_displayed()
    browser.switch_to.frame(browser.find_element(By.ID, "view"))
    assert "审查意见" in browser.find_element(By.TAG_NAME, "h1").text
    browser.switch_to.default_content()


def test_a_batch_shows_each_file_as_it_is_scored_then_the_ranking(site) -> None:
    url, browser = site
    browser.get(url)
    browser.execute_script(RECORD_PROGRESS)
    check(browser, "\n".join(str(SAMPLES / name) for name in SAMPLE_NAMES))
    finished(browser)
    assert not browser.find_element(By.ID, "verdict").is_displayed()
    seen = browser.execute_script("return window.progressSeen")
    counted = [text for text in seen if text.startswith("已完成")]
    total = len(SAMPLE_NAMES)
    assert [text.split("：")[0] for text in counted] == [f"已完成 {done}/{total}" for done in range(1, total + 1)]
    assert {text.split("：", 1)[1] for text in counted} == set(SAMPLE_NAMES)
    browser.switch_to.frame(browser.find_element(By.ID, "view"))
    assert WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.TAG_NAME, "table"))
    browser.switch_to.default_content()


def test_the_drop_zone_is_the_first_stop_of_the_keyboard(site) -> None:
    url, browser = site
    browser.get(url)
    stops = []
    for _ in range(3):
        ActionChains(browser).send_keys(Keys.TAB).perform()  # to the page: keys sent to a file input name a file
        active = browser.switch_to.active_element
        stops.append(active.get_attribute("id") or active.tag_name)
    assert stops == ["file", "summary", "submit"]


def axe(browser: webdriver.Chrome) -> list[dict]:
    """axe-core's violations in the current document, every rule it runs by default (WCAG 2.x A
    and AA, best practices). Its frames are left out: they hold fzcheck's HTML outputs, which
    `test_the_pages_the_server_frames_pass_axe` checks on their own. The package's own `run`
    writes options as Python (`False`), so the script is run here."""
    from axe_core_python.base import AXE_SCRIPT

    browser.execute_script(AXE_SCRIPT)
    results = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(done, (problem) => done({error: String(problem)}));",
        {"iframes": False, "resultTypes": ["violations"]})
    assert "error" not in results, results.get("error")
    return [{"id": item["id"], "impact": item["impact"], "nodes": [node["target"] for node in item["nodes"]]}
            for item in results["violations"]]


def test_axe_finds_nothing_on_the_page_its_results_or_the_docs(site) -> None:
    url, browser = site
    browser.get(url)
    browser.find_element(By.TAG_NAME, "summary").click()  # the optional fields shown, so they are checked too
    assert axe(browser) == [], "upload page"
    check(browser, WEAK)
    finished(browser)
    assert axe(browser) == [], "one report checked"
    browser.get(url)
    check(browser, "\n".join(str(SAMPLES / name) for name in SAMPLE_NAMES))
    finished(browser)
    assert axe(browser) == [], "a batch checked"
    browser.get(url + "docs")
    for summary in browser.find_elements(By.TAG_NAME, "summary"):
        summary.click()
    assert axe(browser) == [], "/docs"


def test_the_pages_the_server_frames_pass_axe(site, tmp_path: Path) -> None:
    """The review and the batch page the frame shows, opened on their own: the single report's
    frame runs no script (sandboxed), so axe cannot be run in it there."""
    import httpx

    url, browser = site
    pages = {"review.html": httpx.post(url + "api/audit?format=html", files=[("file", (WEAK.name, WEAK.read_bytes()))]),
             "batch.html": httpx.post(url + "api/batch?format=html",
                                      files=[("file", (path.name, path.read_bytes())) for path in (WEAK, REPORT)])}
    serious = {}
    for name, response in pages.items():
        (tmp_path / name).write_bytes(response.content)
        browser.get((tmp_path / name).as_uri())
        serious[name] = [item for item in axe(browser) if item["impact"] in ("serious", "critical")]
    assert serious == {name: [] for name in pages}
