"""The `leadsim` command end to end, as a trainer or a script would run it (subprocess)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import leadsim
from tests.test_loader import BASE

DATA = Path(__file__).parent / "data"
SMALL = str(DATA / "small.yaml")


def test_version_and_help() -> None:
    out = leadsim("--version")
    assert out.returncode == 0 and out.stdout.startswith("leadsim ")
    helptext = leadsim("--help").stdout
    for command in ("play", "list", "validate"):
        assert command in helptext


def test_usage_error_exits_2() -> None:
    assert leadsim("validate").returncode == 2
    assert leadsim("no-such-command").returncode == 2


def test_text_mode_plays_to_an_ending() -> None:
    # seed 1: the huddle's chance roll... avoid it: assign -> chase -> back-to-work
    out = leadsim("play", SMALL, "--text", "--seed", "1", stdin="1\n1\n2\n")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "The Small Office" in text and "Monday, 9:05." in text
    assert "Dana says:" in text  # the speaker
    assert "  1. Hand out the tasks yourself." in text
    assert "Team trust: 50/100   Results: 40/100" in text
    assert "Changes: Team trust -10, Results +15" in text
    assert "Style: MANAGER" in text and "Fast and clear; nobody was asked." in text
    assert "Reflect: Why did you choose this? (not asked: input is not a terminal" in text
    assert "=== Ending: Shipped, but tired ===" in text
    assert "Final meters: Team trust: 35/100   Results: 65/100" in text
    assert "Your decisions: 2 manager, 0 leader, 1 neutral" in text
    assert "  * Pushing works once." in text
    assert out.stderr == ""


def test_text_mode_shows_locked_choice_with_reason(tmp_path: Path) -> None:
    low_trust = tmp_path / "low.yaml"
    low_trust.write_text((DATA / "small.yaml").read_text().replace("start: 50", "start: 20"))
    out = leadsim("play", str(low_trust), "--text", "--seed", "1", stdin="q\n")
    assert "  -. Call a huddle and ask for ideas. (locked: Nobody talks when trust is" in out.stdout
    assert "  2. Wait for the customer" in out.stdout  # locked choices take no number


def test_text_mode_rejects_bad_input_and_stops_cleanly() -> None:
    out = leadsim("play", SMALL, "--text", "--seed", "1", stdin="7\nabc\nq\n")
    assert out.returncode == 0
    assert out.stdout.count("Please type a number from 1 to 3") == 2
    assert "Stopped at decision 1" in out.stdout


def test_text_mode_end_of_input_says_how_to_resume(tmp_path: Path) -> None:
    out = leadsim("play", SMALL, "--text", "--seed", "1", "--log", str(tmp_path), stdin="1\n")
    assert out.returncode == 3 and "Traceback" not in out.stderr
    assert "Stopped at decision 2" in out.stdout
    (log,) = tmp_path.glob("*.jsonl")
    assert f"stopped before an ending; resume with `leadsim resume {log}`" in out.stderr
    resumed = leadsim("resume", str(log), "--text", stdin="1\n2\n")
    assert resumed.returncode == 0 and "=== Ending:" in resumed.stdout


def test_same_seed_same_session() -> None:
    answers = "2\n\n1\n1\n1\n1\n"
    first = leadsim("play", SMALL, "--text", "--seed", "42", stdin=answers).stdout
    second = leadsim("play", SMALL, "--text", "--seed", "42", stdin=answers).stdout
    assert first == second


def test_coach_feedback_can_be_held_back() -> None:
    out = leadsim("play", SMALL, "--text", "--seed", "1", "--feedback", "consequences", stdin="1\n")
    assert "Changes: Team trust -10, Results +15" in out.stdout
    assert "Style:" not in out.stdout and "nobody was asked" not in out.stdout


def test_debrief_mode_shows_everything_at_the_end() -> None:
    out = leadsim(
        "play", SMALL, "--text", "--seed", "1", "--feedback", "debrief", stdin="1\n1\n2\n"
    )
    before_end, after_end = out.stdout.split("=== Ending:")
    assert "Style:" not in before_end
    assert "MANAGER" in after_end and "Fast and clear; nobody was asked." in after_end


def test_broken_scenario_is_reported_not_played(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BASE.replace("next: done", "next: nowhere").replace("effects", "efects"))
    out = leadsim("play", str(path), "--text")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:14:9: error: unknown key 'efects'")
    assert lines[1].startswith(f"{path}:16:15: error: next goes to 'nowhere'")


def test_unknown_scenario_name_lists_what_exists() -> None:
    out = leadsim("play", "no-such-scenario", "--text")
    assert out.returncode == 1 and "no scenario file or shipped scenario" in out.stderr
    assert "Traceback" not in out.stderr


def test_validate_exit_codes_and_formats(tmp_path: Path) -> None:
    good = leadsim("validate", "--strict", SMALL)
    assert good.returncode == 0 and good.stdout == ""
    assert "0 errors, 0 warnings" in good.stderr
    broken = tmp_path / "b.yaml"
    broken.write_text(BASE.replace("start: one", "start: zero"))
    bad = leadsim("validate", SMALL, str(broken))
    assert bad.returncode == 1
    assert bad.stdout.startswith(f"{broken}:6:8: error: start scene 'zero' does not exist")
    report = json.loads(leadsim("validate", str(broken), "--format", "json").stdout)
    assert report["errors"] == 1
    (d,) = report["diagnostics"]
    assert (d["code"], d["line"], d["column"], d["severity"]) == ("LS031", 6, 8, "error")


def test_validate_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BASE)
    (tmp_path / "b.yaml").write_text(BASE.replace("title: Demo", "title: [x"))
    out = leadsim("validate", str(tmp_path))
    assert out.returncode == 1
    assert "b.yaml:" in out.stdout and "a.yaml" not in out.stdout
    assert "checked 2 files" in out.stderr


def test_validate_a_folder_without_scenarios_fails_and_says_so(tmp_path: Path) -> None:
    """It said "checked 0 files" and exited 0, so a CI job with a mistyped folder passed."""
    (tmp_path / "notes.txt").write_text("not a scenario")
    out = leadsim("validate", str(tmp_path))
    assert out.returncode == 1
    assert out.stdout.startswith(f"{tmp_path}:1:1: error: this folder holds no scenario files")
    report = json.loads(leadsim("validate", str(tmp_path), "--format", "json").stdout)
    assert report["errors"] == 1 and report["diagnostics"][0]["code"] == "LS001"


def test_list_shows_shipped_and_extra_folder(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(BASE)
    (tmp_path / "zz-broken.yaml").write_text("scenario: [")
    out = leadsim("list", "--dir", str(tmp_path))
    assert out.returncode == 0
    assert re.search(r"^demo +Demo  \(1 scene, 1 ending\)$", out.stdout, re.M)
    assert re.search(
        r"^zz-broken +BROKEN: .*zz-broken.yaml:\d+:\d+: error: YAML syntax", out.stdout, re.M
    )
    rows = json.loads(leadsim("list", "--dir", str(tmp_path), "--format", "json").stdout)
    assert {"demo", "zz-broken"} <= {r["id"] for r in rows}


def test_traits_lists_nineteen_pairs() -> None:
    out = leadsim("traits").stdout.strip().splitlines()
    assert len(out) == 19 and out[0].startswith("control-influence")


def test_text_mode_reports_a_softlock_instead_of_asking_for_1_to_0(tmp_path: Path) -> None:
    stuck = tmp_path / "stuck.yaml"
    stuck.write_text(
        BASE.replace("        style: leader", "        style: leader\n        if: trust > 90")
    )
    out = leadsim("play", str(stuck), "--text", "--seed", "1")
    assert out.returncode == 1
    assert "the scenario is stuck" in out.stdout and "Choose 1-0" not in out.stdout


def test_tui_path_with_unknown_scenario_is_a_message_not_a_traceback() -> None:
    out = leadsim("play", "no-such-scenario")  # no --text: the simulator's path
    assert out.returncode == 1
    assert "no scenario file or shipped scenario called 'no-such-scenario'" in out.stderr
    assert "Traceback" not in out.stderr


def test_version_imports_no_command_and_no_loader() -> None:
    # `leadsim --version` is what scripts and installers call to probe; it should not pay
    # for the loader, the analyser or any command module.
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['leadsim', '--version']\n"
        "try:\n"
        "    runpy.run_module('sim', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('sim.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.startswith("leadsim ")
    loaded = done.stdout.splitlines()[-1]
    assert "sim.commands" not in loaded and "sim.format" not in loaded, loaded
