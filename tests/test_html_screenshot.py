"""The batch HTML page rendered by a real browser, when one is installed (Debian: apt install chromium).

A screenshot cannot say the page looks right, but it catches what string checks cannot: a page
that does not render at all, renders blank, or draws nothing but the background.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checker.cli import main
from test_batch import build_corpus

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((path for path in map(shutil.which, BROWSERS) if path), None)
WIDTH, HEIGHT = 1400, 2000


@pytest.mark.skipif(BROWSER is None, reason="no chromium installed")
def test_batch_html_renders_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    main(["batch", "-q", "--format", "html", "--output", str(page), str(build_corpus(tmp_path))])
    screenshot = tmp_path / "batch.png"
    subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    assert screenshot.is_file(), "chromium wrote no screenshot"
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000, "a page this size compresses to more than a near-empty image"
    colours = _colours(screenshot)
    if colours is not None:
        assert colours > 50, "the screenshot is (nearly) one colour"


def _colours(path: Path) -> int | None:
    """Distinct colours, or None without Pillow (a dependency of pdfplumber, but not our own)."""
    try:
        from PIL import Image
    except ImportError:
        return None
    with Image.open(path) as image:
        assert image.size == (WIDTH, HEIGHT)
        found = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(found) if found is not None else 1 << 20
