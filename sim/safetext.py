"""Make text from a scenario file safe to print on a terminal.

Scenario files are untrusted. Printed raw, an ANSI or OSC escape sequence could recolour the
screen, retitle the window or write a hyperlink; a carriage return could overwrite what the
trainee just read; a right-to-left override (U+202E) could make the rest of a line read
backwards. :func:`plain` removes every escape sequence and control character except newline
and tab, and the bidirectional embedding, override and isolate controls (U+202A-U+202E,
U+2066-U+2069), so the text shows as the letters it contains and nothing else. Right-to-left
scripts need none of those: a terminal lays them out from the letters themselves, and the
left-to-right and right-to-left marks (U+200E, U+200F) are kept. The TUI
additionally never parses file text as markup (it builds ``Content`` from plain strings).
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other ESC sequences, 8-bit CSI/OSC,
# then any remaining C0/C1 control character except \t and \n, then the bidi controls.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?
  | \x1b[@-Z\\-_]?
  | \x9b[0-?]*[ -/]*[@-~]
  | \x9d[^\x07\x9c]*[\x07\x9c]?
  | [\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]
    """,
    re.VERBOSE,
)


def plain(text: str) -> str:
    """``text`` without escape sequences, control characters or bidi overrides (newlines
    and tabs kept; a carriage-return-newline pair becomes a newline)."""
    return _ESCAPES.sub("", text.replace("\r\n", "\n"))


# json.dumps escapes C0 controls even with ensure_ascii=False, but leaves these raw.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(json_text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with the characters it leaves
    raw that a terminal would act on (DEL, the C1 controls such as the 8-bit CSI U+009B, the
    bidi controls) written as ``\\uXXXX`` escapes: the same JSON value, safe to print. Such
    characters can only occur inside JSON strings, where the escape means the same."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
