"""Make the README's pictures of `fzcheck serve` again (run after the page or the HTML outputs change):

    .venv/bin/python docs/images/serve_screenshots.py

- serve-upload.png: the page as it opens;
- serve-report.png: one report checked (samples/baihu_district_2024_weak.txt): the precheck verdict,
  the download buttons and the top of the report page;
- serve-batch.png: the four samples checked together: the batch page (ranking, charts) in its frame.

Starts `fzcheck serve` on a free port and drives the page in headless Chromium at 1280×1600 through
Selenium (Debian: chromium, chromium-driver; pip: selenium, which the test extra installs).
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "docs" / "images"
SAMPLES = sorted((REPO / "samples").glob("*.txt"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def finished(browser: webdriver.Chrome) -> None:
    WebDriverWait(browser, 120).until(lambda driver: driver.find_element(By.ID, "status-text").text == "检查完成")
    time.sleep(1)  # the frame's page lays out and the frame grows to it


def main() -> None:
    server = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(free_port()), "--no-config"],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    url = re.search(r"http://\S+?/", server.stdout.readline())[0]
    with tempfile.TemporaryDirectory() as profile:
        options = webdriver.ChromeOptions()
        for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=zh-CN",
                         f"--user-data-dir={profile}", "--window-size=1280,1600"):
            options.add_argument(argument)
        options.binary_location = shutil.which("chromium") or ""  # with both paths given, Selenium looks nothing up online
        browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            browser.get(url)
            browser.save_screenshot(str(IMAGES / "serve-upload.png"))
            browser.find_element(By.ID, "file").send_keys(str(REPO / "samples" / "baihu_district_2024_weak.txt"))
            browser.find_element(By.ID, "submit").click()
            finished(browser)
            browser.execute_script("window.scrollTo(0, 0)")
            browser.save_screenshot(str(IMAGES / "serve-report.png"))
            browser.get(url)
            browser.find_element(By.ID, "file").send_keys("\n".join(map(str, SAMPLES)))
            browser.find_element(By.ID, "submit").click()
            finished(browser)
            browser.execute_script("window.scrollTo(0, 0)")
            browser.save_screenshot(str(IMAGES / "serve-batch.png"))
        finally:
            browser.quit()
            server.terminate()
            server.wait(timeout=20)
    for name in ("serve-upload.png", "serve-report.png", "serve-batch.png"):
        print(IMAGES / name)


if __name__ == "__main__":
    main()
