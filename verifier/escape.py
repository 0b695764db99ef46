"""Untrusted text (names, sources, expressions, rule texts, messages quoting them) made safe
for the place it lands: a terminal, Markdown text, a table cell, a code span.

`plain` removes what a terminal or a viewer would act on - control characters (ESC
sequences, carriage returns, NUL, the C1 range) and the bidirectional overrides that make
text read differently than it is - and puts a line break's place on one line. `markdown`
escapes every character that can start Markdown or HTML markup, so `<script>`, `[x](javascript:..)`,
`# heading` and `**` arrive as the characters they are. `code` is a code span that no
backtick in the text can close.

What they do not do: shorten text (callers bound lengths), or make text safe for HTML
attributes or LaTeX (untrusted text never goes there).
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069", "\u200e", "\u200f", "\u061c"}
_BREAKS = {"\n", "\r", "\t", "\v", "\f", "\u2028", "\u2029", "\x85"}
# ASCII punctuation that can open markup: CommonMark lets a backslash escape each of them
_MARKUP = re.compile(r"([\\`*\[\]<>|#!~&$]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def plain(text: str) -> str:
    """One line of printable text: breaks become spaces, other controls disappear."""
    out = []
    for char in str(text):
        if char in _BREAKS:
            out.append(" ")
        elif char in _BIDI or unicodedata.category(char) == "Cc":
            continue
        else:
            out.append(char)
    return "".join(out)


def markdown(text: str) -> str:
    """Text for Markdown prose, headings and table cells (| is escaped too); an underscore
    inside a word (gelu_tanh) is left alone, as GitHub's Markdown does not read it."""
    return _MARKUP.sub(r"\\\1", plain(text))


def code(text: str) -> str:
    """A Markdown code span of `text`: fenced by one more backtick than its longest run."""
    body = plain(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip() else ""
    return f"{fence}{pad}{body}{pad}{fence}"
