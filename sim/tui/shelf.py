"""What the library lists, remembered between launches so the simulator opens at once.

Listing a scenario means loading and checking it (YAML, the model, the condition compiler),
which is most of the simulator's start-up. The library needs only a few facts per file, so
they are kept in a small JSON index under the user's cache folder, keyed by each file's
modification time and size and by the loader's own files: an edited scenario, or a new
version of leadsim, is read again. Nothing here trusts the index for play: picking a
scenario loads it afresh.

This module must stay cheap to import: it reads the index with ``json`` and imports the
loader only when a file has to be read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sim.format.library import scenario_files, shipped_dir

FORMAT = 2


@dataclass(frozen=True)
class Row:
    """One file as the library shows it. ``problem`` is set when the file does not load."""

    path: str
    id: str
    title: str = ""
    summary: str = ""
    author: str = ""
    scenes: int = 0
    endings: int = 0
    feedback: str = ""
    shortest: int | None = None
    longest: int | None = None
    problem: str | None = None
    outcomes: dict[str, str] = field(default_factory=dict)
    """Each ending's outcome (ending id to best/good/mixed/poor), to rate the trainee's
    finished sessions."""

    @property
    def name(self) -> str:
        return Path(self.path).name


def cache_file() -> Path:
    home = os.environ.get("LEADSIM_HOME")
    if home:
        return Path(home).expanduser() / "cache" / "library.json"
    import platformdirs

    return platformdirs.user_cache_path("leadsim") / "library.json"


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def _core_stamp() -> list[Any]:
    """The core's and the format's modules as they are now: when the loader (in however many
    files) changes, what the index says about a file may be out of date. About 25 stats, well
    under 1 ms."""
    package = Path(__file__).resolve().parent.parent
    stamps: list[Any] = []
    for folder in (package, package / "format"):
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".py"))
        except OSError:
            continue
        stamps += [[f"{folder.name}/{name}", _stamp(folder / name)] for name in names]
    return stamps


def read_row(path: Path) -> Row:
    """Load and check one file (the slow path) and keep what the library shows of it."""
    from sim.format import loader
    from sim.format.diagnostics import errors
    from sim.tui.outline import length

    scenario, diagnostics = loader.check(path)
    if scenario is None:
        return Row(str(path), path.stem, problem=first_problem(errors(diagnostics)))
    size = length(scenario)
    return Row(
        str(path),
        scenario.id,
        scenario.title,
        scenario.summary,
        scenario.author,
        len(scenario.scenes),
        len(scenario.endings),
        scenario.feedback_mode,
        size.shortest if size else None,
        size.longest if size else None,
        outcomes={e.id: e.outcome for e in scenario.endings.values() if e.outcome},
    )


def first_problem(diagnostics: Any) -> str:
    """The first error without the path (the row already names the file)."""
    if not diagnostics:
        return "unknown problem"
    d = diagnostics[0]
    hint = f"; {d.hint}" if d.hint else ""
    more = len(diagnostics) - 1
    also = f" (and {more} more: leadsim validate lists them)" if more else ""
    return f"line {d.line}, column {d.column}: {d.message}{hint} [{d.code}]{also}"


def scan(dirs: Iterable[Path] = (), shipped: bool = True, index: Path | None = None) -> list[Row]:
    """Every scenario file in the shipped folder (unless ``shipped`` is false) and ``dirs``,
    from the index where it is still true, read afresh where not; the index is updated."""
    index = index or cache_file()
    folders = ([shipped_dir()] if shipped else []) + [Path(d) for d in dirs]
    core = _core_stamp()
    known: dict[str, Any] = {}
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT and data.get("core") == core:
            known = data.get("files", {})
    except (OSError, ValueError, AttributeError):
        known = {}
    rows: list[Row] = []
    files: dict[str, Any] = {}
    changed = False
    for path in (p for folder in folders for p in scenario_files(folder)):
        key = str(path.resolve())
        stamp = _stamp(path)
        entry = known.get(key)
        row = None
        if entry is not None and entry.get("stamp") == stamp:
            try:
                row = Row(**{**entry["row"], "path": str(path)})
            except TypeError:
                row = None
        if row is None:
            row = read_row(path)
            changed = True
        rows.append(row)
        files[key] = {"stamp": stamp, "row": asdict(row)}
    # Keep what other folders' launches remembered; drop files that are gone.
    for key, entry in known.items():
        if key not in files and Path(key).exists():
            files[key] = entry
    if changed or len(files) != len(known):
        _write(index, {"format": FORMAT, "core": core, "files": files})
    return rows


def _write(index: Path, data: dict[str, Any]) -> None:
    """Replace the index in one step; a cache that cannot be written is simply not kept."""
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        temporary = index.with_name(f"{index.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, index)
    except OSError:
        pass
