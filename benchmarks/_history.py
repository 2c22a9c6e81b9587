"""Fixes and optimisations made because of a benchmark or a hostile-input test, with the
numbers before and after. ``benchmarks/run.py`` renders this into BENCHMARKS.md; each entry
names the commit subject that made the change (``git log --grep`` finds it)."""

PERFORMANCE: list[tuple[str, str, str, str]] = [
    (
        "Engine: build states with their constructor and find the chosen choice directly",
        "random playthroughs, twin 10 4",
        "4,541 runs/s",
        "10,126 runs/s",
    ),
    ("(same)", "random playthroughs, friday-shipment", "4,645 runs/s", "10,371 runs/s"),
    (
        "Loader: pause the cycle collector while composing and reading a file",
        "`loader.check`, twin 1,000 scenes",
        "0.51 s",
        "0.26 s",
    ),
    ("(same)", "`loader.check`, twin 10,000 scenes", "6.82 s", "2.55 s"),
    (
        "Loader: stack only collections in the nesting-depth walk",
        "`_depth_ok`, twin 10,000 scenes",
        "0.228 s",
        "0.155 s",
    ),
    (
        "Loader: read a file by its size on disk, not into a 64 MiB buffer",
        "peak traced memory of `loader.check`, 4 KB file",
        "67.1 MB",
        "0.18 MB",
    ),
    (
        "Loader: refuse an oversized file by its size",
        "a sparse 200 MB file",
        "0.12 s, 67 MB peak",
        "< 1 ms, no allocation",
    ),
    (
        "TUI: a one-line key bar instead of Footer, lighter start-up",
        "keypress p50, choose (coach)",
        "32 ms",
        "16.3 ms",
    ),
    (
        "Library rows are drawn once in the worker, not on every keystroke of the filter; "
        "sim.tui.app no longer imports argparse at start-up",
        "start-up vs bare Textual app",
        "1.47x",
        "1.33x",
    ),
    (
        "cli: import only the command being run",
        "start-up vs bare Textual app (library shown)",
        "1.33x",
        "1.17x",
    ),
    (
        "(same and the play keys owned by the screen)",
        "keypress p50, choose (coach)",
        "16.3 ms",
        "11.2 ms",
    ),
    (
        "Library start-up: commands/play imports the engine, model and loader only where used",
        "start-up CPU vs bare Textual app (library shown)",
        "1.44x",
        "1.22x",
    ),
    (
        "Play and debrief screens are styled once before their first paint; the feedback "
        "panel mounts its widgets when first shown; no library screen or log replay imported",
        "stylesheet applications before the first scene of `leadsim play`",
        "116",
        "39",
    ),
    (
        "(same)",
        "start-up CPU vs bare Textual app (play, first scene)",
        "1.74x",
        "1.68-1.71x",
    ),
    (
        "Split the 1,070-line loader in three; refuse files of millions of tiny values",
        "an 18 MB file of one-character list items",
        "~3 GB to compose (not run)",
        "refused in 0.9 s, 160 MB peak RSS",
    ),
    (
        "Engine: count visits only for the scenes conditions read",
        "engine cost per decision, 10 vs 8,000-step paths (chain of 8,000 scenes)",
        "10.7 vs 337 us (31.6x)",
        "11.8 vs 10.0 us (0.85x)",
    ),
    (
        "(same)",
        "`leadsim check` on twin.py 25000 4 (100,000 scenes, 63 MB)",
        "over 15 minutes (issue 18)",
        "292 s wall, nice'd on a loaded 2-core machine; 2.9 GB peak (the loader's)",
    ),
    (
        "Lint: group unreached scenes in one pass and build the route graph once",
        "lint of 20,000 unreachable scenes",
        "28.5 s",
        "1.06 s",
    ),
    (
        "Random play-testing through a kernel compiled from the scenario",
        "`check --random 20000` on twin 10 4 vs `randomtest.js num=20000`, whole processes",
        "2.23x ChoiceScript (3.12 s vs 6.97 s)",
        "11.2x ChoiceScript (0.62 s vs 6.97 s)",
    ),
    (
        "Benchmarks: start-up from bytecode caches on both sides",
        "`leadsim` start-up: the environment's PYTHONDONTWRITEBYTECODE made every run compile "
        "sim/ from source (413 `compile` calls)",
        "compiled each run",
        "cached, as installed",
    ),
    (
        "The version is a constant held to pyproject.toml by a test",
        "imports before a session's first screen",
        "importlib.metadata, email, zipfile, csv, calendar (~15 ms)",
        "none of them",
    ),
    (
        "Loader reads a large file a scene at a time",
        "peak RSS of `loader.check` alone (`_load.py --check-only`), twin 100,000 scenes (63 MB)",
        "2,966 MB (47x the file)",
        "675 MB (about 11x; the loaded Scenario itself is about 6x)",
    ),
    (
        "(same)",
        "peak RSS of `loader.check` alone, twin 10,000 scenes (6.2 MB)",
        "320 MB",
        "88 MB",
    ),
    (
        "Replay screen: an index of checkpoints, steps made on demand",
        "peak RSS opening an 89 MB log (400,000 decisions) in the replay screen",
        "913 MB",
        "30 MB (`--verify`: 26 MB)",
    ),
    (
        "Loader: parse a large file from its bytes, report YAML's own errors from the "
        "streamed reading, share line numbers, keep 'next' targets in two lists",
        "loader peak memory (`_load.py --check-only`: peak RSS less RSS before loading, over "
        "the file's size), twin 100,000 scenes (63 MB)",
        "9.8x (614 MB peak)",
        "8.4x (529 MB peak)",
    ),
    (
        "(same)",
        "loader peak memory, twin 105,800 scenes (67.1 MB, the largest under 64 MiB)",
        "9.8x (645 MB peak)",
        "8.4x (556 MB peak)",
    ),
    (
        "(same)",
        "loader peak memory, 666,000 one-line scenes (53 MB, the most the value limit accepts)",
        "15.7x (817 MB peak)",
        "13.4x (698 MB peak)",
    ),
    (
        "(same)",
        "loader peak memory, twin 10,000 scenes (6.2 MB) with a syntax error on its last line",
        "39x (253 MB peak: the whole file composed to reach the error)",
        "8.6x (72 MB peak)",
    ),
    (
        "Start-up: pause the garbage collector until the first screen is painted, then freeze "
        "what start-up built",
        "start-up CPU vs bare Textual app (play, first scene), 11 paired runs, load 4-5",
        "1.73x (137 collections, one full)",
        "1.50x (27, all before the command runs)",
    ),
    (
        "Play: create a new session's log after the first scene is painted; Sessions: import "
        "the log package only to read or write a log",
        "start-up CPU vs bare Textual app (play, first scene), same runs",
        "1.50x",
        "1.45x",
    ),
    (
        "Play and debrief screens: draw no frame the starting app would drop; the first one "
        "written is whole",
        "frames drawn before the first scene of `leadsim play` is on screen",
        "3 (one dropped, one partial)",
        "1 (1.40x the bare app, same runs)",
    ),
    (
        "Play: the scene's speaker line and text in one widget instead of a container of two",
        "widgets on the play screen at its first paint",
        "16",
        "14",
    ),
    (
        "attrs classes made before the first scene share one `__repr__` (sim/reprs.py)",
        "creating one frozen attrs class of four fields (median of 7 x 100, collector off)",
        "397 us",
        "268 us (some 40 classes before play's first scene)",
    ),
    (
        "Log lines: a fast path in parse_record for the common lines; Report index: a "
        "session's effective path kept in its row; leadsim report leaves the cycle collector "
        "off; Cohort: one pass over the decisions",
        "`leadsim report`, cold, 10,000 logs (whole command, one process; medians of 3 runs "
        "alternated with the code before on the same cohort, load average 2.2-4.9 on 2 cores)",
        "4.26 s (CPU 4.20 s)",
        "3.21 s (CPU 2.82 s)",
    ),
    (
        "(same)",
        "`leadsim report`, warm (index up to date)",
        "1.34 s (CPU 1.32 s)",
        "1.14 s (CPU 0.98 s)",
    ),
    (
        "(same)",
        "incremental: 100 / 1,000 new logs, update and update + query",
        "0.21 s, 1.31 s / 0.46 s, 1.66 s",
        "0.13 s, 0.84 s / 0.35 s, 1.15 s",
    ),
    (
        "(same; helpers forked, not spawned, from a process of one thread)",
        "query, cold, 2 processes (in the benchmark's process)",
        "3.26-4.75 s",
        "1.74-2.63 s",
    ),
    (
        "Log lines: a fast path in parse_record for the common lines",
        "`parse_record` over 51,019 lines of the cohort",
        "0.44 s (8.7 us a line)",
        "0.26 s (5.1 us a line)",
    ),
    (
        "Loader: positions packed in one int, one shared empty Effects, no second dict or "
        "set of the scene names, only unresolved 'next' targets kept, the file fed to the "
        "parser 1 MiB at a time",
        "loader peak memory, 666,000 one-line scenes (53 MB, the most the value limit accepts)",
        "13.4x (702 MB peak)",
        "8.7x (461 MB peak)",
    ),
    (
        "(same)",
        "loader peak memory, twin 105,800 scenes (67.1 MB, the largest under 64 MiB)",
        "8.4x (556 MB peak)",
        "6.2x (421 MB peak)",
    ),
    (
        "(same)",
        "loader peak memory, 66,600 one-line scenes (5.2 MB)",
        "14.2x (92 MB peak)",
        "10.0x (71 MB peak)",
    ),
    (
        "Loader: refuse a large file the whole-file reading would read (LS004 where and why)",
        "peak RSS of a large file with its settings after the scenes, 20 MB",
        "about 1 GB (46x: composed whole)",
        "refused with LS004 at the setting, read a scene at a time up to it",
    ),
    (
        "Loader: at most 10,000 values in one setting, scene or ending, counted as composed",
        "peak RSS of `loader.check`, a file whose `flags:` lists a million names",
        "621 MB (8.9 MB file, about 70x)",
        "43 MB (11.9 MB file): LS004 at `flags:` after 10,000 values",
    ),
    (
        "Loader: at most 2,000 values in one entry, not 10,000 (one entry is composed whole)",
        "peak RSS less start over size, 4,950 short scenes (1.1 MB) with a `flags:` list at "
        "the entry limit",
        "12.2x (9,990 names)",
        "9.6x (1,990 names)",
    ),
    (
        "Model: positions kept as plain ints, no `__weakref__` slots (32be832)",
        "loader peak memory, 15,000 one-line scenes (1.1 MB), after a warm-up load",
        "10.5x",
        "9.0x",
    ),
    (
        "Loader: names shared through the reader instead of `sys.intern`; 64 KiB pieces (b58ebce)",
        "loader peak memory (`_load.py --check-only`), 15,000 one-line scenes (1.1 MB)",
        "10.0x",
        "8.2x",
    ),
    (
        "(same)",
        "loader peak memory, 17,000 one-line scenes spelt as tightly as YAML allows (1.1 MB)",
        "10.9x",
        "9.3x",
    ),
    (
        "Conditions kept as their text, parsed and compiled when first used (f451d23)",
        "loader peak memory, 4,000 choices with a 200-character condition each (1.6 MB)",
        "146x (249 MB peak), 3.7 s",
        "2.7x (26 MB peak), 1.6 s",
    ),
    (
        "(same)",
        "loader peak memory, 1,500 choices of 50 routes with a one-letter condition (1.4 MB)",
        "51x (91 MB peak)",
        "12.2x (39 MB peak)",
    ),
    (
        "Value limit 6,000,000 (was 8,000,000); at most 10,000 flag names (e8b8321)",
        "loader peak RSS, one-line narration scenes at the value limit",
        "978 MiB (1,590,000 scenes, 45 MB)",
        "754 MiB (1,195,000 scenes, 33 MB)",
    ),
]

ENGINE_PROFILE = (
    "The engine profile (cProfile, 3,000 twin runs) before its change: three `attrs.evolve` "
    "calls per decision were 35% of the time (evolve introspects every field on each call), "
    "and `choose()` built an `Offer` for every choice of the scene to find the chosen one. "
    "The change was checked against the previous engine on 25,873 random decisions over "
    "every shipped scenario, the fixtures and the twin: same states, decisions, errors and "
    "messages. The loader's cycle-collector change came from a phase profile of the "
    "10,000-scene twin: the collector was over 60% of the time."
)

ROBUSTNESS: list[tuple[str, str, str]] = [
    (
        "64 MiB of 200-character conditions (estimated from 4,000 of them in 1.6 MB)",
        "about 9 GB to load (146x the file)",
        "about 170 MB (2.7x)",
    ),
    (
        "a file of a million different flag names (5 bytes each)",
        "about 250 MB held for them, fifty times their text",
        "LS004 at the 10,001st: at most 10,000 different flag names",
    ),
    (
        "12 KB file: one 1,000-item list aliased by 1,000 endings",
        "15.3 s, 338 MB, 1,000,000 diagnostics",
        "0.25 s, 6 MB, LS004 + 10,000 diagnostics",
    ),
    (
        "condition `1+1+...+1` (999 terms, under the 2,000-character limit)",
        "`RecursionError` out of the loader",
        'LS020 "more than 128 levels of operators"',
    ),
    (
        "`version: !foo bar`, `!!python/name:...`, `2001-13-45`, `!!int abc`, `!!bool maybe`",
        "`ConstructorError` / `ValueError` / `KeyError` out of the loader",
        "LS012 at the value",
    ),
    (
        "a number of 5,000 digits; a 600 KB base-60 number `59:59:...`",
        "`ValueError`; 9.4 s of quadratic arithmetic",
        'LS012 "too long", 2 ms',
    ),
    (
        "a raw control character (ESC, DEL, U+009B) in the file",
        "LS002 at 1:1 with a two-line message",
        "LS002 at its line and column, one line",
    ),
    (
        "10,000-deep nesting (libyaml stops at 1,000 levels)",
        'LS002 "YAML syntax error"',
        "LS004, the documented nesting limit",
    ),
    (
        "a file named `evil<ESC>]0;...<BEL>.yaml` in `leadsim validate`",
        "terminal window retitled once per diagnostic",
        "path printed through `plain()`",
    ),
    (
        "`leadsim validate --format json`, C1 controls or bidi overrides in a value",
        "printed raw (`ensure_ascii=False`)",
        "written as `\\u` escapes (`text.json_safe`)",
    ),
    (
        "U+202E (right-to-left override) in scenario text",
        "printed, reversing the rest of the line",
        "stripped by `plain()`",
    ),
    (
        "`leadsim report` over a log whose trainee or reflection escapes a lone surrogate "
        "(`\\udc80`), or a log file named with a byte that is not UTF-8",
        "`UnicodeEncodeError` traceback from the index",
        "shown as the escape (`\\udc80`), the log counted",
    ),
]
