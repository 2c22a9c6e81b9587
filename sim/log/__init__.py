"""Session logs: one JSON Lines file per session, written while it is played.

A log is the trainer's record of a session (debriefs, cohort comparisons, "here is the path you
took") and the only thing resume needs, so it is built to survive a crash at any moment:
append-only, one fsync'd line per event, never overwritten (see :mod:`sim.log.writer`), and read
back line by line so that a cut-off last line is recognised and a damaged one is reported with
its line number (see :mod:`sim.log.reader`). One process writes a log at a time
(:mod:`sim.log.lock`), and with a key its lines are signed (:mod:`sim.log.signing`).

This package is the facade: ``from sim import log`` then ``log.SessionLog``, ``log.LogFile``,
``log.unfinished``. The engine never reads a log; :mod:`sim.log.replay` re-runs one through it.
"""

from sim.log.files import (
    LogInfo,
    file_name,
    list_sessions,
    log_files,
    names_a_file,
    summarize,
    unfinished,
)
from sim.log.format import (
    FORMAT,
    KIND,
    SUFFIX,
    AbandonedRecord,
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    NarrationRecord,
    Record,
    ReflectionRecord,
    ResumeRecord,
    RewindRecord,
    decision_record,
    describe,
    encode,
    end_record,
    header_record,
    timestamp,
    utc_now,
)
from sim.log.parse import parse_record
from sim.log.reader import LogFile
from sim.log.writer import SessionLog
from sim.places import HOME_ENV, home_dir, sessions_dir

__all__ = [
    "FORMAT",
    "HOME_ENV",
    "KIND",
    "SUFFIX",
    "AbandonedRecord",
    "DecisionRecord",
    "EndRecord",
    "Header",
    "LogError",
    "LogFile",
    "LogInfo",
    "NarrationRecord",
    "Record",
    "ReflectionRecord",
    "ResumeRecord",
    "RewindRecord",
    "SessionLog",
    "decision_record",
    "describe",
    "encode",
    "end_record",
    "file_name",
    "header_record",
    "home_dir",
    "list_sessions",
    "log_files",
    "names_a_file",
    "parse_record",
    "sessions_dir",
    "summarize",
    "timestamp",
    "unfinished",
    "utc_now",
]
