"""Invisible characters (issue 14, item 9): plain() removes what only spoofs and keeps what a
language needs. The choices are listed in sim/safetext.py's docstring and the README."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.safetext import json_safe, one_line, plain

SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"

KEPT = {
    "Persian word with a non-joiner": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "Devanagari conjunct with a joiner": "\u0915\u094d\u200d\u0937",
    "emoji family (ZWJ sequence)": "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "emoji with skin tone and ZWJ": "\U0001f469\U0001f3fd\u200d\U0001f4bb",
    "heart on fire (variation selector, ZWJ)": "\u2764\ufe0f\u200d\U0001f525",
    "flag of Scotland (tag sequence)": SCOTLAND,
    "right-to-left mark": "\u05e9\u05dc\u05d5\u05dd 123\u200f!",
}

REMOVED = {
    "zero-width space": ("pay\u200bpal", "paypal"),
    "joiner between Latin letters": ("pay\u200dpal", "paypal"),
    "non-joiner between Cyrillic letters": ("\u0430\u200c\u0431", "\u0430\u0431"),
    "joiner at the start": ("\u200dadmin", "admin"),
    "word joiner": ("ad\u2060min", "admin"),
    "byte order mark": ("\ufeffTitle", "Title"),
    "Arabic letter mark": ("\u0627\u061c\u0628", "\u0627\u0628"),
    "stray tag characters": ("ok\U000e0041\U000e0042", "ok"),
    "soft hyphen": ("ad\u00admin", "admin"),
    "Hangul filler as a name": ("\u3164", ""),
    "invisible times": ("a\u2062b", "ab"),
    "line separator": ("one\u2028two\u2029three", "one\ntwo\nthree"),
}

INVISIBLE = re.compile(
    "[\u200b\u2060-\u2064\ufeff\u061c\u00ad\u3164\uffa0\u2028\u2029\u206a-\u206f\ufff9-\ufffb]"
)


@pytest.mark.parametrize("name", KEPT)
def test_what_a_language_needs_is_kept(name: str) -> None:
    assert plain(KEPT[name]) == KEPT[name]


@pytest.mark.parametrize("name", REMOVED)
def test_what_only_spoofs_is_removed(name: str) -> None:
    text, cleaned = REMOVED[name]
    assert plain(text) == cleaned


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                ["\u200c", "\u200d", "\u180e", "\U000e0041", "\U000e007f", "\U0001f3f4", "a"]
            ),
            st.sampled_from(["\u0645", "\u0915", "\U0001f468", "\ufe0f", "\u2028", "\u200b"]),
            st.text(max_size=3),
        )
    ).map("".join)
)
def test_plain_is_idempotent_and_leaves_no_spoofing_character(text: str) -> None:
    cleaned = plain(text)
    assert plain(cleaned) == cleaned
    assert not INVISIBLE.search(cleaned)
    for joiner in re.finditer("[\u200c\u200d\u180e]", cleaned):  # only ever inside a word
        assert 0 < joiner.start() < len(cleaned) - 1
    tags = re.sub(r"\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f", "", cleaned)
    assert not re.search("[\U000e0000-\U000e007f]", tags)
    assert "\n" not in one_line(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(["\u200b", "\u200d", "\U000e0041", "\u2028", "x", "\u0645"])))
def test_json_output_escapes_invisible_characters_and_keeps_the_value(text: str) -> None:
    dumped = json_safe(json.dumps({"k": text}, ensure_ascii=False))
    assert not INVISIBLE.search(dumped) and "\u200d" not in dumped
    assert json.loads(dumped) == {"k": text}
