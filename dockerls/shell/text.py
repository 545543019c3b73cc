"""Quote removal for shell words and JSON strings, keeping where each character came from.

Both functions work on code-point offsets into a larger text. When asked to
``track``, they also return, for each character of the result, the offsets of
the source characters it came from (``starts[i]`` to ``ends[i]``), so that a
string nested in a string (``sh -c '…'``) can be parsed with exact positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_DQ_ESCAPABLE = frozenset('$`"\\\n')
_ANSI_C = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_JSON_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_HEX = frozenset("0123456789abcdefABCDEF")
_PLAIN_STOPS = frozenset("'\"\\$`")


@dataclass(slots=True)
class Unquoted:
    text: str
    dynamic: bool
    starts: list[int]  # empty unless tracked
    ends: list[int]


class _Out:
    __slots__ = ("chars", "ends", "starts", "track")

    def __init__(self, track: bool) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.track = track

    def add(self, chars: str, start: int, end: int) -> None:
        """Append ``chars`` that came from ``[start, end)`` (one by one when they are a copy)."""
        self.chars.append(chars)
        if not self.track:
            return
        if end - start == len(chars):
            self.starts.extend(range(start, end))
            self.ends.extend(range(start + 1, end + 1))
        else:
            self.starts.extend([start] * len(chars))
            self.ends.extend([end] * len(chars))


def unquote(
    text: str,
    start: int,
    end: int,
    opaque: Sequence[tuple[int, int]] = (),
    track: bool = False,
) -> Unquoted:
    """Remove the shell quoting of ``text[start:end]``.

    ``opaque`` lists sorted ranges (expansions and substitutions found by the
    parser) that are copied as written and make the word dynamic.
    """
    raw = text[start:end]
    if not opaque and _PLAIN_STOPS.isdisjoint(raw):
        if track:
            return Unquoted(raw, False, list(range(start, end)), list(range(start + 1, end + 1)))
        return Unquoted(raw, False, [], [])
    out = _Out(track)
    dynamic = False
    quote = ""  # "", "'", '"' or "$'"
    op = 0
    i = start
    while i < end:
        while op < len(opaque) and opaque[op][0] < i:
            op += 1
        if op < len(opaque) and opaque[op][0] == i and quote in ("", '"'):
            stop = min(opaque[op][1], end)
            out.add(text[i:stop], i, stop)
            dynamic = True
            i = max(stop, i + 1)
            continue
        c = text[i]
        nxt = text[i + 1] if i + 1 < end else ""
        if quote == "'":
            if c == "'":
                quote = ""
            else:
                out.add(c, i, i + 1)
            i += 1
        elif quote == "$'":
            if c == "'":
                quote = ""
                i += 1
            elif c == "\\" and nxt:
                decoded, stop = _ansi_c_escape(text, i, end)
                out.add(decoded, i, stop)
                i = stop
            else:
                out.add(c, i, i + 1)
                i += 1
        elif quote == '"':
            if c == '"':
                quote = ""
                i += 1
            elif c == "\\" and nxt in _DQ_ESCAPABLE:
                if nxt != "\n":
                    out.add(nxt, i, i + 2)
                i += 2
            else:
                out.add(c, i, i + 1)
                i += 1
        elif c in "'\"":
            quote = c
            i += 1
        elif c == "$" and nxt in ("'", '"'):
            quote = "$'" if nxt == "'" else '"'
            i += 2
        elif c == "\\" and nxt:
            if nxt != "\n":
                out.add(nxt, i, i + 2)
            i += 2
        else:
            out.add(c, i, i + 1)
            i += 1
    return Unquoted("".join(out.chars), dynamic, out.starts, out.ends)


def _ansi_c_escape(text: str, i: int, end: int) -> tuple[str, int]:
    """Decode the escape at ``text[i]`` (a backslash) inside ``$'…'``."""
    c = text[i + 1]
    if c in _ANSI_C:
        return _ANSI_C[c], i + 2
    if c in "xuU":
        width = {"x": 2, "u": 4, "U": 8}[c]
        stop = i + 2
        while stop < min(end, i + 2 + width) and text[stop] in _HEX:
            stop += 1
        if stop > i + 2:
            value = int(text[i + 2 : stop], 16)
            if value <= 0x10FFFF:
                return chr(value), stop
    if c in "01234567":
        stop = i + 1
        while stop < min(end, i + 4) and text[stop] in "01234567":
            stop += 1
        return chr(int(text[i + 1 : stop], 8)), stop
    return "\\" + c, i + 2


@dataclass(slots=True)
class JsonString:
    """A JSON string literal found in a text: its value and where it was written."""

    value: str
    start: int  # offset of the opening quote
    end: int  # offset after the closing quote
    starts: list[int]
    ends: list[int]


def json_strings(text: str, start: int) -> list[JsonString] | None:
    """The strings of the JSON array of strings at ``text[start:]``, or None if it is not one."""
    n = len(text)
    i = _skip_space(text, start)
    if i >= n or text[i] != "[":
        return None
    i = _skip_space(text, i + 1)
    found: list[JsonString] = []
    if i < n and text[i] == "]":
        return found if _skip_space(text, i + 1) == n else None
    while True:
        literal = _json_string(text, i)
        if literal is None:
            return None
        found.append(literal)
        i = _skip_space(text, literal.end)
        if i < n and text[i] == ",":
            i = _skip_space(text, i + 1)
            continue
        if i < n and text[i] == "]":
            return found if _skip_space(text, i + 1) == n else None
        return None


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _json_string(text: str, i: int) -> JsonString | None:
    if i >= len(text) or text[i] != '"':
        return None
    begin = i
    out = _Out(True)
    i += 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return JsonString("".join(out.chars), begin, i + 1, out.starts, out.ends)
        if c != "\\":
            if ord(c) < 0x20:
                return None
            out.add(c, i, i + 1)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt in _JSON_ESCAPES:
            out.add(_JSON_ESCAPES[nxt], i, i + 2)
            i += 2
            continue
        code = _hex4(text, i + 2) if nxt == "u" else None
        if code is None:
            return None
        stop = i + 6
        low = _hex4(text, i + 8) if text.startswith("\\u", stop) else None
        if 0xD800 <= code < 0xDC00 and low is not None and 0xDC00 <= low < 0xE000:
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            stop += 6
        out.add(chr(code), i, stop)
        i = stop
    return None


def _hex4(text: str, i: int) -> int | None:
    digits = text[i : i + 4]
    if len(digits) == 4 and all(d in _HEX for d in digits):
        return int(digits, 16)
    return None
