"""`leadsim serve` in a real browser: Debian's Chromium, driven by Playwright, against the
server started as a trainer would. Screenshots go to ``browser.ARTIFACTS``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import leadsim
from tests.serve.browser import (
    CHROMIUM_ARGS,
    Outside,
    chromium_executable,
    decisions,
    highlighted_row,
    records,
    serving,
    shot,
    wait_for_decisions,
    wait_for_screen_change,
    wait_until,
)

START_MS = 60_000  # a simulator starting on a busy 2-core machine
VIEWPORT = {"width": 1100, "height": 750}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def outside() -> Iterator[Outside]:
    """Fails the test if a page asked for anything outside loopback."""
    seen = Outside()
    yield seen
    assert seen.requests == [], f"requests outside loopback: {seen.requests}"


def visitor(browser: Any, outside: Outside) -> Any:
    context = browser.new_context(viewport=VIEWPORT)
    outside.guard(context)
    return context.new_page()


def join(page: Any, link: str, name: str) -> None:
    """Join as ``name`` and wait until the first screen is drawn and still (keys typed
    while a screen appears are dropped by the simulator, as a person's would not be)."""
    page.goto(link)
    page.fill("#name", name)
    page.click("#join")
    page.wait_for_selector("body.-first-byte", timeout=START_MS)
    wait_for_screen_change(page, b"", f"joined-{name}")


def test_a_trainee_joins_and_plays_by_keyboard_and_mouse(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    with serving(tmp_path, "check-in") as link:
        page = visitor(browser, outside)
        page.goto(link)
        shot(page, "join")
        assert "Your name" in page.inner_text("body")
        page.fill("#name", "Ana Lima")
        page.click("#join")
        page.wait_for_selector("body.-first-byte", timeout=START_MS)
        sessions = tmp_path / "sessions"
        wait_until(lambda: records(sessions, "Ana Lima"), what="Ana's log")
        first = wait_for_screen_change(page, b"", "scene-1")

        page.keyboard.press("2")  # the second choice, by number
        wait_for_decisions(sessions, "Ana Lima", 1)
        shown = wait_for_screen_change(page, first, "feedback-1")
        page.keyboard.press("Enter")  # carry on to the next scene
        second = wait_for_screen_change(page, shown, "scene-2")

        # Nothing is highlighted when a scene appears: down twice to the second, then Enter.
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        moved = wait_for_screen_change(page, second, "scene-2-highlight")
        page.keyboard.press("Enter")
        wait_for_decisions(sessions, "Ana Lima", 2)
        shown = wait_for_screen_change(page, moved, "feedback-2")
        page.keyboard.press("Enter")
        third = wait_for_screen_change(page, shown, "scene-3")

        page.keyboard.press("ArrowDown")  # only to find the first choice's row on screen
        wait_for_screen_change(page, third, "scene-3-highlight")
        x, y = highlighted_row(page)  # the first choice, clicked
        page.mouse.click(x, y)
        made = wait_for_decisions(sessions, "Ana Lima", 3)
        wait_for_screen_change(page, third, "feedback-3")

    # The server's log is an ordinary log: the trainer's commands read it unchanged.
    listed = leadsim("sessions", str(sessions))
    assert "Ana Lima" in listed.stdout and "check-in" in listed.stdout
    (log,) = sessions.glob("*.jsonl")
    verified = leadsim("replay", str(log), "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    reported = leadsim("report", str(sessions), "--index", ":memory:")
    assert reported.returncode == 0 and "Ana Lima" in reported.stdout, reported.stderr
    header = records(sessions, "Ana Lima")[0]
    assert header["scenario"] == "check-in"
    assert [d["step"] for d in made] == [1, 2, 3]
    from sim.format import library, loader
    from sim.sessions.session import Session

    # The choices the keys and the click meant, by the engine: 2nd, then 2nd, then 1st.
    session = Session(loader.load(library.resolve("check-in", [])), header["seed"])
    for position, record in zip((2, 2, 1), made, strict=True):
        available = [o.choice.id for o in session.offers() if o.available]
        assert record["choice"] == available[position - 1]
        session.choose(record["choice"])


def test_two_visitors_get_separate_sessions_and_logs(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    sessions = tmp_path / "sessions"
    with serving(tmp_path, "check-in") as link:
        ana, ben = visitor(browser, outside), visitor(browser, outside)
        join(ana, link, "Ana")
        join(ben, link, "Ben")
        wait_until(lambda: records(sessions, "Ana") and records(sessions, "Ben"), what="logs")
        ana.keyboard.press("1")
        ben.keyboard.press("3")
        a, b = wait_for_decisions(sessions, "Ana", 1), wait_for_decisions(sessions, "Ben", 1)
        from sim.format import library, loader
        from sim.sessions.session import Session

        # Each key went to its own session: the 1st and the 3rd of the order each one shows
        # (format 1.1 shuffles the choices by the session's seed).
        for name, made, position in (("Ana", a, 1), ("Ben", b, 3)):
            seed = records(sessions, name)[0]["seed"]
            session = Session(loader.load(library.resolve("check-in", [])), seed)
            shown = [o.choice.id for o in session.offers() if o.available]
            assert made[0]["choice"] == shown[position - 1], name
        shot(ana, "two-visitors-ana")
        shot(ben, "two-visitors-ben")
        # A third visitor cannot take a name another visitor holds (nor its resume offer).
        eve = visitor(browser, outside)
        eve.goto(link)
        eve.fill("#name", "ana")
        eve.click("#join")
        assert "already uses the name" in eve.inner_text("body")
        shot(eve, "name-taken")
    logs = sorted(sessions.glob("*.jsonl"))
    assert len(logs) == 2
    assert {records(sessions, n)[0]["session"] for n in ("Ana", "Ben")} != 1


def test_the_full_page_when_every_place_is_taken(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    with serving(tmp_path, "check-in", "--max-sessions", "1") as link:
        join(visitor(browser, outside), link, "Ana")
        late = visitor(browser, outside)
        late.goto(link)
        late.fill("#name", "Ben")
        late.click("#join")
        late.wait_for_selector("h1")
        shot(late, "full")
        assert "The workshop is full" in late.inner_text("h1")
        assert "try again" in late.inner_text("body").lower()


def test_a_token_is_needed_when_the_server_has_one(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    with serving(tmp_path, "check-in", "--token", "s3cret-token") as link:
        assert link.endswith("?token=s3cret-token")
        page = visitor(browser, outside)
        response = page.goto(link.split("?")[0])
        assert response is not None and response.status == 403
        assert "Forbidden" in page.inner_text("h1")
        shot(page, "forbidden")
        wrong = page.goto(link.split("?")[0] + "?token=guess")
        assert wrong is not None and wrong.status == 403
        # The shared link works, and the token rides along in a cookie from then on.
        join(page, link, "Ana")
        wait_until(lambda: records(tmp_path / "sessions", "Ana"), what="Ana's log")


def test_an_idle_session_ends_and_resumes_from_the_page(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    sessions = tmp_path / "sessions"
    with serving(tmp_path, "check-in", "--idle", "0.05") as link:  # 3 seconds
        page = visitor(browser, outside)
        join(page, link, "Ana")
        wait_until(lambda: records(sessions, "Ana"), what="Ana's log")
        page.keyboard.press("2")
        wait_for_decisions(sessions, "Ana", 1)
        page.wait_for_selector("body.-closed", timeout=START_MS)
        page.wait_for_function("document.getElementById('again').textContent === 'Resume'")
        shot(page, "idle-closed")
        assert "without a keypress" in page.inner_text("#closed-message")
        page.click("#again")
        page.wait_for_selector("body.-first-byte", timeout=START_MS)
        asked = wait_for_screen_change(page, b"", "resume-offer")
        page.keyboard.press("Enter")  # "Resume where I stopped" is the first answer
        wait_for_screen_change(page, asked, "resumed")
        page.keyboard.press("Enter")  # carry on past the first decision's feedback
        page.keyboard.press("1")
        made = wait_for_decisions(sessions, "Ana", 2)
    assert [d["step"] for d in made] == [1, 2]
    assert len(list(sessions.glob("*.jsonl"))) == 1
    assert len(decisions(sessions, "Ana")) == 2


def test_the_library_is_served_under_the_visitors_name(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    with serving(tmp_path) as link:
        page = visitor(browser, outside)
        page.goto(link + "?name=Lena")  # the name carried by the link
        page.wait_for_selector("body.-first-byte", timeout=START_MS)
        library = wait_for_screen_change(page, b"", "library")
        page.keyboard.press("Enter")  # start the highlighted scenario
        wait_until(lambda: records(tmp_path / "sessions", "Lena"), what="Lena's log")
        wait_for_screen_change(page, library, "library-started")


def test_a_second_tab_takes_the_session_over(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    with serving(tmp_path, "check-in") as link:
        first = visitor(browser, outside)
        join(first, link, "Ana")
        first.keyboard.press("2")  # one decision, so there is a session worth resuming
        wait_for_decisions(tmp_path / "sessions", "Ana", 1)
        second = first.context.new_page()  # the same visitor (same cookies), another tab
        second.goto(link + "play")
        second.wait_for_selector("body.-first-byte", timeout=START_MS)
        first.wait_for_selector("body.-closed", timeout=START_MS)
        assert "another tab" in first.inner_text("#closed-message")
        shot(first, "taken-over")
        offer = wait_for_screen_change(second, b"", "taken-over-offer")
        second.keyboard.press("Enter")  # resume the session the first tab started
        wait_for_screen_change(second, offer, "taken-over-resumed")
        second.keyboard.press("1")
        wait_for_decisions(tmp_path / "sessions", "Ana", 2)
    assert len(list((tmp_path / "sessions").glob("*.jsonl"))) == 1


def test_an_assessment_log_from_the_server_is_signed(
    browser: Any, outside: Outside, tmp_path: Path
) -> None:
    sessions = tmp_path / "sessions"
    with serving(tmp_path, "check-in", "--assessment") as link:
        page = visitor(browser, outside)
        join(page, link, "Ana")
        wait_until(lambda: records(sessions, "Ana"), what="Ana's log")
        page.keyboard.press("2")
        wait_for_decisions(sessions, "Ana", 1)
    (log,) = sessions.glob("*.jsonl")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert records(sessions, "Ana")[0]["mode"] == "assessment"
    assert all('"sig":"' in line for line in lines)
    key = tmp_path / "serve" / "signing.key"
    verified = leadsim("replay", "--verify", "--key", str(key), str(log))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # A trainee who edits their handed-in copy is caught.
    forged = tmp_path / "forged.jsonl"
    slower = re.sub(r'"elapsed":[0-9.]+', '"elapsed":99.5', lines[1])  # only the time
    assert slower != lines[1]
    forged.write_text("\n".join([lines[0], slower, *lines[2:]]) + "\n", encoding="utf-8")
    caught = leadsim("replay", "--verify", "--key", str(key), str(forged))
    assert caught.returncode != 0 and "signature" in caught.stdout + caught.stderr
