"""Plain-text play: one scene at a time on stdout, one number per line on stdin.

Made for screen readers, pipes and scripted tests: no colour, no cursor movement, every prompt
on its own line, and every piece of scenario text passed through :func:`sim.safetext.plain`,
re-flowed and wrapped at word boundaries to the terminal's width (80 columns when stdout is
not a terminal).

The rule scripts rely on: **every input line is an answer to a choice**. A reflection question
takes a line only when stdin is a terminal, or when ``--reflect`` is given (then the line after
each decision in a reflecting scene is its answer; an empty line skips it). End of input before
an ending leaves the session as it is (the log keeps it), says "stopped before an ending;
resume with ..." on stderr and exits with status 3.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from sim.engine import Decision, tally_by_style
from sim.model import CONTINUE, Scenario
from sim.safetext import plain, shell_word
from sim.sessions.session import Session
from sim.traits import trait_lean
from sim.wording import changes as meter_changes
from sim.wording import prose, wrap

QUIT = "\x00quit"  # never a choice id (ids are lowercase letters, digits, '-' and '_')
STOPPED = 3
"""Exit status when input ends before an ending (the session can be resumed)."""


def meter_line(scenario: Scenario, values: tuple[int, ...]) -> str:
    return "   ".join(
        f"{plain(m.label)}: {v}/{m.max}" for m, v in zip(scenario.meters, values, strict=True)
    )


def changes(scenario: Scenario, decision: Decision) -> str:
    parts = [str(change) for change in meter_changes(scenario, decision)]
    return ", ".join(parts) if parts else "no meter changed"


def width_of(stdout: TextIO) -> int:
    """The terminal's width when ``stdout`` is one, else 80."""
    try:
        if stdout.isatty():
            return shutil.get_terminal_size((80, 24)).columns
    except (AttributeError, ValueError, OSError):
        pass
    return 80


def style_word(style: str) -> str:
    return {"manager": "MANAGER", "leader": "LEADER", "neutral": "NEUTRAL"}[style]


class TextPlay:
    def __init__(
        self,
        session: Session,
        stdin: TextIO,
        stdout: TextIO,
        *,
        reflect: bool | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.session = session
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.reflect = stdin.isatty() if reflect is None else reflect
        self.width = width_of(stdout)

    def say(self, text: str = "", indent: str = "") -> None:
        """One paragraph (or several), wrapped to the width."""
        self.stdout.write(wrap(text, self.width, indent) + "\n" if text else "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str | None:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            return None
        if not self.stdin.isatty():
            self.stdout.write("\n")  # piped input is not echoed: end the prompt's line
        return line.rstrip("\n")

    def intro(self) -> None:
        s = self.session
        sc = s.scenario
        self.say(plain(sc.title))
        self.say("=" * len(plain(sc.title)))
        if sc.summary:
            self.say(plain(sc.summary))
        mode = f"{s.mode}, feedback: {s.feedback}"
        self.say(f"(seed {s.seed}; {mode}; type q to stop)")

    def scene(self) -> list[str]:
        """Show the current scene and return the ids of the numbered choices."""
        s = self.session
        scene = s.scenario.scenes[s.state.scene]
        self.say()
        self.say(f"--- {plain(scene.title or f'Decision {s.step + 1}')} ---")
        if scene.speaker:
            who = plain(scene.speaker)
            self.say(f"Source: {who}" if scene.source else f"{who} says:")
        self.say(prose(s.say(scene.text)))
        self.say()
        self.say(meter_line(s.scenario, s.state.meters))
        if scene.narration:
            return [CONTINUE]
        numbered: list[str] = []
        for offer in s.offers():
            if offer.available:
                numbered.append(offer.choice.id)
                self.item(f"  {len(numbered)}. ", plain(s.say(offer.choice.text)))
            else:
                reason = plain(offer.reason or "")
                self.item("  -. ", f"{plain(s.say(offer.choice.text))} (locked: {reason})")
        return numbered

    def item(self, lead: str, text: str) -> None:
        """A numbered line whose continuation lines hang under its text."""
        body = wrap(" ".join(text.split()), self.width, " " * len(lead))
        self.stdout.write(lead + body[len(lead) :] + "\n")
        self.stdout.flush()

    def feedback(self, decision: Decision) -> None:
        s = self.session
        choice = s.scenario.scenes[decision.scene].choice(decision.choice)
        assert choice is not None
        story = s.say(choice.outcome, decision.step)
        if story:  # what happened next: shown in every feedback mode
            self.say(prose(story))
        self.say(f"Changes: {changes(s.scenario, decision)}")
        if s.feedback == "coach":
            self.say(f"Style: {style_word(decision.style)}")
            note = s.say(choice.feedback, decision.step)
            if note:
                self.say(prose(note))

    def debrief(self) -> None:
        s = self.session
        ending = s.scenario.endings[s.state.ending or ""]
        self.say()
        self.say(f"=== Ending: {plain(ending.title)} ===")
        if ending.outcome:
            self.say(f"Outcome: {ending.outcome}")
        self.say(prose(s.say(ending.text)))
        self.say()
        self.say("Final meters: " + meter_line(s.scenario, s.state.meters))
        tally = tally_by_style(s.state)
        self.say(
            f"Your decisions: {tally['manager']} manager, {tally['leader']} leader, "
            f"{tally['neutral']} neutral"
        )
        if s.feedback == "debrief":
            self.say()
            self.say("Your decisions, looked at again:")
            for d in s.decisions():
                if d.choice == CONTINUE:
                    continue  # reading a narration scene was no decision
                choice = s.scenario.scenes[d.scene].choice(d.choice)
                assert choice is not None
                scene = s.scenario.scenes[d.scene]
                text = plain(s.say(choice.text, d.step - 1))
                self.item(f"  {d.step}. ", f"{plain(scene.label(d.step))}: {text}")
                self.say(f"{style_word(d.style)} - {changes(s.scenario, d)}", "     ")
                note = s.say(choice.feedback, d.step)
                if note:
                    self.say(prose(note), "     ")
        leaning = trait_lean(s.decisions())
        if leaning:
            self.say("Where you leaned: " + "; ".join(leaning))
        lessons = [text for text in map(s.say, ending.lessons) if text]
        if lessons:
            self.say()
            self.say("Lessons:")
            for lesson in lessons:
                self.item("  * ", plain(lesson))

    def run(self) -> int:
        s = self.session
        self.intro()
        while not s.over:
            numbered = self.scene()
            if not numbered:
                self.say()
                where = shell_word(s.scenario.path or s.scenario.id)
                self.say(
                    "No choice can be taken here, so the scenario is stuck. "
                    f"Tell its author; `leadsim validate {where}` finds such places."
                )
                return 1
            answer = self.pick(numbered)
            if answer is None:
                return self.stopped()
            if answer == QUIT:
                code = self.quit()
                if code is None:
                    continue
                return code
            decision = s.choose(answer)
            if decision.choice != CONTINUE:  # a narration scene has nothing to feed back
                self.feedback(decision)
            question = s.say(s.scenario.scenes[decision.scene].reflect)
            if question and self.reflect:
                reply = self.ask(f"{plain(question)} (Enter to skip) > ")
                if reply:
                    s.reflect(reply)
            elif question:
                note = "not asked: input is not a terminal; --reflect asks"
                self.say(f"Reflect: {plain(question)} ({note})")
        self.debrief()
        return 0

    def log_hint(self) -> str:
        path = getattr(self.session.recorder, "path", None)
        return f"`leadsim resume {shell_word(path)}`" if path else "`leadsim resume LOG`"

    def stopped(self) -> int:
        """Input ended before an ending: the log keeps the session; say how to go on."""
        self.say()
        self.say(f"Stopped at decision {self.session.step + 1}; nothing after it was recorded.")
        self.stderr.write(f"leadsim: stopped before an ending; resume with {self.log_hint()}\n")
        self.stderr.flush()
        return STOPPED

    def quit(self) -> int | None:
        """The trainee typed q: a practice session waits to be resumed; leaving an assessment
        is asked about first, because the attempt then counts as abandoned."""
        s = self.session
        if s.mode == "assessment":
            line = self.ask("Leave the assessment? This attempt will count as abandoned. [y/N] ")
            if line is None or line.strip().lower() not in ("y", "yes"):
                return None  # play on: the scene is shown again
            s.abandon()
            self.say(f"Left at decision {s.step + 1}: the attempt is recorded as abandoned.")
            return 0
        self.say()
        self.say(f"Stopped at decision {s.step + 1}; resume with {self.log_hint()}.")
        return 0

    def pick(self, numbered: list[str]) -> str | None:
        if numbered == [CONTINUE]:  # a narration scene: read, then go on
            line = self.ask("Enter to continue > ")
            if line is None or line.strip().lower() in ("q", "quit"):
                return None
            return CONTINUE
        while True:
            line = self.ask(f"Choose 1-{len(numbered)} > ")
            if line is None:
                return None
            if line.strip().lower() in ("q", "quit"):
                return QUIT
            text = line.strip()
            if text.isdigit() and 1 <= int(text) <= len(numbered):
                return numbered[int(text) - 1]
            self.say(f"Please type a number from 1 to {len(numbered)}, or q to stop.")


def play(session: Session, stdin: TextIO, stdout: TextIO, *, reflect: bool | None = None) -> int:
    return TextPlay(session, stdin, stdout, reflect=reflect).run()
