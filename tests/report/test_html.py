"""The HTML report in a real browser (Debian's Chromium, headless): drawn, quiet, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.format import loader
from sim.report.cohort import build
from sim.report.html import render
from sim.report.index import Index
from sim.report.synthetic import write_cohort
from tests.serve.browser import CHROMIUM_ARGS, chromium_executable

LIBRARY = Path(__file__).parent.parent / "tui" / "data" / "library"
CHARTS = {
    "endings": "svg.bars-endings rect",
    "choice split per scene": "svg.split rect",
    "meter paths": "svg.meter polyline",
    "median meter path": "svg.meter polyline.median",
    "style balance per trainee": "table.trainees svg.balance rect",
    "style balance distribution": "svg.bars-balance rect",
    "flow bands": "svg.flow path.band",
    "flow nodes": "svg.flow rect.node",
    "reflections": "blockquote",
}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    scenarios = [
        loader.load(LIBRARY / "late-report.yaml"),
        loader.load(LIBRARY / "quiet-week.yaml"),
    ]
    write_cohort(folder / "logs", scenarios, 60, seed=2)
    index = Index(None)
    cohort = build(index, index.update([folder / "logs"]).sources)
    path = folder / "report.html"
    path.write_text(render(cohort), encoding="utf-8")
    return path


def test_the_file_names_nothing_to_fetch(report_file: Path) -> None:
    text = report_file.read_text()
    for fetch in ("http:", "https:", "//cdn", "@import", "url(", "<link rel='stylesheet'", "src="):
        assert fetch not in text, fetch


def test_the_report_draws_offline_without_errors(report_file: Path, tmp_path: Path) -> None:
    executable = chromium_executable()  # skips (and fails under CI) where it is missing
    from playwright import sync_api  # a test dependency: missing, the test fails

    url = report_file.as_uri()
    requests: list[str] = []
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1300})

        def route(r: object) -> None:
            requests.append(r.request.url)  # type: ignore[attr-defined]
            if r.request.url == url:  # type: ignore[attr-defined]
                r.continue_()  # type: ignore[attr-defined]
            else:
                r.abort()  # type: ignore[attr-defined]

        page.route("**/*", route)
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(url)
        page.wait_for_load_state("load")
        for what, selector in CHARTS.items():
            shapes = page.locator(selector)
            assert shapes.count() > 0, what
            box = shapes.first.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0, what
        # The sortable trainee table sorts (the script runs).
        table = page.locator("table.trainees").first
        table.locator("th").nth(1).click()
        table.locator("th").nth(1).click()
        counts = [int(c) for c in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]
        assert counts == sorted(counts, reverse=True)
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        browser.close()
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    assert problems == []
    assert set(requests) == {url}
