"""Plain-text play: one scene at a time on stdout, one number per line on stdin.

Made for screen readers, pipes and scripted tests: no colour, no cursor movement, every prompt
on its own line, and every piece of scenario text passed through :func:`sim.safetext.plain`.
End of input leaves the session as it is (the log keeps it for `leadsim resume`).
"""

from __future__ import annotations

from typing import TextIO

from sim.engine import Decision, tally_by_style
from sim.model import CONTINUE, Scenario
from sim.safetext import plain, shell_word
from sim.sessions.session import Session
from sim.traits import trait_lean


def meter_line(scenario: Scenario, values: tuple[int, ...]) -> str:
    return "   ".join(
        f"{plain(m.label)}: {v}/{m.max}" for m, v in zip(scenario.meters, values, strict=True)
    )


def changes(scenario: Scenario, decision: Decision) -> str:
    parts = [
        f"{plain(m.label)} {d:+d}"
        for m, d in zip(scenario.meters, decision.deltas(), strict=True)
        if d
    ]
    return ", ".join(parts) if parts else "no meter changed"


def style_word(style: str) -> str:
    return {"manager": "MANAGER", "leader": "LEADER", "neutral": "NEUTRAL"}[style]


class TextPlay:
    def __init__(self, session: Session, stdin: TextIO, stdout: TextIO) -> None:
        self.session = session
        self.stdin = stdin
        self.stdout = stdout

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
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
        self.say(f"--- {scene.id} ---")
        if scene.speaker:
            self.say(f"{plain(scene.speaker)}:")
        self.say(plain(s.say(scene.text)).rstrip())
        self.say()
        self.say(meter_line(s.scenario, s.state.meters))
        if scene.narration:
            return [CONTINUE]
        numbered: list[str] = []
        for offer in s.offers():
            if offer.available:
                numbered.append(offer.choice.id)
                self.say(f"  {len(numbered)}. {plain(s.say(offer.choice.text))}")
            else:
                text = plain(s.say(offer.choice.text))
                self.say(f"  -. {text} (locked: {plain(offer.reason or '')})")
        return numbered

    def feedback(self, decision: Decision) -> None:
        s = self.session
        choice = s.scenario.scenes[decision.scene].choice(decision.choice)
        assert choice is not None
        story = s.say(choice.outcome, decision.step)
        if story:  # what happened next: shown in every feedback mode
            self.say(plain(story).rstrip())
        self.say(f"Changes: {changes(s.scenario, decision)}")
        if s.feedback == "coach":
            self.say(f"Style: {style_word(decision.style)}")
            note = s.say(choice.feedback, decision.step)
            if note:
                self.say(plain(note))

    def debrief(self) -> None:
        s = self.session
        ending = s.scenario.endings[s.state.ending or ""]
        self.say()
        self.say(f"=== Ending: {plain(ending.title)} ===")
        if ending.outcome:
            self.say(f"Outcome: {ending.outcome}")
        self.say(plain(s.say(ending.text)).rstrip())
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
                self.say(f"  {d.step}. {plain(s.say(choice.text, d.step - 1))}")
                self.say(f"     {style_word(d.style)} - {changes(s.scenario, d)}")
                note = s.say(choice.feedback, d.step)
                if note:
                    self.say(f"     {plain(note)}")
        leaning = trait_lean(s.decisions())
        if leaning:
            self.say("Where you leaned: " + "; ".join(leaning))
        lessons = [text for text in map(s.say, ending.lessons) if text]
        if lessons:
            self.say()
            self.say("Lessons:")
            for lesson in lessons:
                self.say(f"  * {plain(lesson)}")

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
                self.say()
                self.say(f"Stopped at decision {s.step + 1}; nothing after it was recorded.")
                return 0
            decision = s.choose(answer)
            if decision.choice != CONTINUE:  # a narration scene has nothing to feed back
                self.feedback(decision)
            question = s.say(s.scenario.scenes[decision.scene].reflect)
            if question:
                reply = self.ask(f"{plain(question)} (Enter to skip) > ")
                if reply:
                    s.reflect(reply)
        self.debrief()
        return 0

    def pick(self, numbered: list[str]) -> str | None:
        if numbered == [CONTINUE]:  # a narration scene: read, then go on
            line = self.ask("Enter to continue > ")
            if line is None or line.strip().lower() in ("q", "quit"):
                return None
            return CONTINUE
        while True:
            line = self.ask(f"Choose 1-{len(numbered)} > ")
            if line is None or line.strip().lower() in ("q", "quit"):
                return None
            text = line.strip()
            if text.isdigit() and 1 <= int(text) <= len(numbered):
                return numbered[int(text) - 1]
            self.say(f"Please type a number from 1 to {len(numbered)}, or q to stop.")


def play(session: Session, stdin: TextIO, stdout: TextIO) -> int:
    return TextPlay(session, stdin, stdout).run()
