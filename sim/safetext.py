"""Make text from a scenario file, a session log or a file name safe to print on a terminal.

Such text is untrusted. Printed raw, an ANSI or OSC escape sequence could recolour the screen,
retitle the window or write a hyperlink; a carriage return could overwrite what the trainee
just read; a right-to-left override (U+202E) could make the rest of a line read backwards; an
invisible character could make two different names look the same. :func:`plain` removes:

- every escape sequence and every control character except newline and tab;
- the bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069)
  and the Arabic letter mark (U+061C). Right-to-left scripts need none of them: a terminal
  lays them out from the letters themselves. The left-to-right and right-to-left marks
  (U+200E, U+200F) are kept: they place digits and punctuation in mixed text;
- characters that are invisible and only spoof: the zero-width space (U+200B), the word
  joiner and the invisible math operators (U+2060-U+2064), the soft hyphen (U+00AD), the
  byte order mark / zero-width no-break space (U+FEFF), the deprecated format controls
  (U+206A-U+206F), the interlinear annotation controls (U+FFF9-U+FFFB), the Hangul fillers
  that stand alone (U+3164, U+FFA0), and the tag characters (U+E0000-U+E007F). What is lost is
  at most a line-break or hyphenation hint;
- the zero-width non-joiner and joiner (U+200C, U+200D) and the Mongolian vowel separator
  (U+180E) *unless* they stand between two characters that can need them: letters, marks or
  symbols outside the Latin, Greek, Cyrillic and Armenian scripts (which never need them).
  So Persian ``می‌خواهم``, Indic conjuncts and emoji sequences such as 👩‍💻 or ❤️‍🔥 keep
  their joiners, and ``pay‍pal`` loses its;

and keeps the tag characters of an emoji tag sequence (a flag such as 🏴 followed by tags and
the cancel tag U+E007F, e.g. the flag of Scotland). The line and paragraph separators (U+2028,
U+2029) become newlines, which is what they mean and what a terminal otherwise ignores.

:func:`one_line` is for a value that must stay on one line, such as a file name in a
``path:line:`` diagnostic: it also writes newlines and tabs as ``\\n`` and ``\\t``, so a file
named ``x\\nfake.yaml:1:1: error: ...`` cannot print a forged diagnostic line.

The TUI additionally never parses file text as markup (it builds ``Content`` from plain
strings).
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from pathlib import PurePath

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other ESC sequences, 8-bit CSI/OSC,
# then any remaining C0/C1 control character except \t and \n, then the bidi controls and the
# characters that only spoof.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?
  | \x1b[@-Z\\-_]?
  | \x9b[0-?]*[ -/]*[@-~]
  | \x9d[^\x07\x9c]*[\x07\x9c]?
  | [\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c]
  | [\u00ad\u200b\u2060-\u2064\ufeff\u206a-\u206f\ufff9-\ufffb\u3164\uffa0]
    """,
    re.VERBOSE,
)

# A tag character, or a whole emoji tag sequence (kept); a joiner with what surrounds it.
_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f|[\U000e0000-\U000e007f]")
_JOINERS = re.compile("[\u200c\u200d\u180e]+")
_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})
_NO_JOINERS = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN")


def _joinable(char: str) -> bool:
    """Can a joiner next to ``char`` be part of how its script is written?"""
    if char < "\u0370" or unicodedata.category(char)[0] not in "LMS":
        return False
    return not unicodedata.name(char, "").startswith(_NO_JOINERS)


def _keep_tag_sequence(match: re.Match[str]) -> str:
    return match.group() if len(match.group()) > 1 else ""


def _keep_needed_joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start > 0 and end < len(text) and _joinable(text[start - 1]) and _joinable(text[end]):
        return match.group()
    return ""


def plain(text: str) -> str:
    """``text`` without escape sequences, control characters, bidi overrides or spoofing
    invisible characters (newlines and tabs kept; a carriage-return-newline pair and the
    line and paragraph separators become a newline)."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n").translate(_SEPARATORS))
    if text.isascii():
        return text
    text = _TAGS.sub(_keep_tag_sequence, text)
    return _JOINERS.sub(_keep_needed_joiner, text)


def one_line(text: str | PurePath) -> str:
    """:func:`plain` on one line: newlines and tabs written as ``\\n`` and ``\\t`` (for file
    names and other values quoted inside a one-line message)."""
    return plain(str(text)).replace("\n", "\\n").replace("\t", "\\t")


def shell_word(text: str | PurePath) -> str:
    """:func:`one_line`, quoted for a shell: a file name inside a command line we suggest."""
    return shlex.quote(one_line(text))


# json.dumps escapes C0 controls even with ensure_ascii=False, but leaves these raw.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c\u00ad\u200b-\u200d\u180e\u2028\u2029"
    "\u2060-\u2064\ufeff\u206a-\u206f\ufff9-\ufffb\u3164\uffa0\U000e0000-\U000e007f]"
)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a surrogate pair, as JSON writes characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_safe(json_text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with the characters it leaves
    raw that a terminal would act on (DEL, the C1 controls such as the 8-bit CSI U+009B, the
    bidi controls) or that are invisible (see :func:`plain`) written as ``\\uXXXX`` escapes:
    the same JSON value, safe to print. Such characters can only occur inside JSON strings,
    where the escape means the same."""
    return _JSON_RAW.sub(_json_escape, json_text)
