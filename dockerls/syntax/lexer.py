"""Small scanners over one logical line, shared by the parser.

Each returns offsets into the string it was given, never raises, and follows the
splitting rules of BuildKit's Dockerfile parser (words with quotes kept, flags
before the arguments, JSON arrays of strings).
"""

from __future__ import annotations

import json
import re

WHITESPACE = " \t\v\f\r"


_WORD = re.compile(r"\S+")


def split_plain(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split on white space with no regard for quotes (BuildKit's plain splitting)."""
    end = len(text) if end is None else end
    return [m.span() for m in _WORD.finditer(text, start, end)]


def split_words(text: str, escape: str, start: int = 0) -> list[tuple[int, int]]:
    """Split into words that keep their quotes; quoted white space stays inside a word.

    The escape character protects the next character outside single quotes.
    """
    words: list[tuple[int, int]] = []
    n = len(text)
    i = start
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        begin = i
        quote = ""
        while i < n:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == escape and quote != "'" and i + 1 < n:
                    i += 1
            elif ch.isspace():
                break
            elif ch in "'\"":
                quote = ch
            elif ch == escape and i + 1 < n:
                i += 1
            i += 1
        words.append((begin, i))
    return words


def unquote(word: str, escape: str) -> str:
    """Remove quotes and escapes the way the builder does for ENV/LABEL/ARG values."""
    out: list[str] = []
    quote = ""
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"' and i + 1 < n and word[i + 1] in f'"{escape}$':
                i += 1
                out.append(word[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == escape and i + 1 < n:
            i += 1
            out.append(word[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def extract_flags(text: str, start: int) -> tuple[list[tuple[int, int, str]], int]:
    """Read ``--flag[=value]`` words from ``start``.

    Returns (flags as (begin, end, unquoted text without quotes), offset where the
    arguments begin). A lone ``--`` ends the flags and is not one.
    """
    flags: list[tuple[int, int, str]] = []
    n = len(text)
    i = start
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i + 1 >= n or text[i] != "-" or text[i + 1] != "-":
            return flags, i
        begin = i
        chars: list[str] = []
        quote = ""
        while i < n:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and i + 1 < n:
                    i += 1
                    chars.append(text[i])
                else:
                    chars.append(ch)
            elif ch.isspace():
                break
            elif ch in "'\"":
                quote = ch
            elif ch == "\\":
                if i + 1 < n:
                    i += 1
                    chars.append(text[i])
            else:
                chars.append(ch)
            i += 1
        word = "".join(chars)
        if word == "--":
            while i < n and text[i].isspace():
                i += 1
            return flags, i
        flags.append((begin, i, word))


def scan_json_array(text: str, start: int) -> tuple[list[tuple[int, int, str]], int] | None:
    """Parse a JSON array of strings at ``start`` (leading/trailing white space allowed).

    Returns (elements as (begin, end, decoded), offset after ']') or None when the
    text does not start with a JSON array of strings (then the builder takes the
    shell form). Like BuildKit, text after the closing bracket is ignored here;
    the caller decides whether to complain about it.
    """
    n = len(text)
    i = start
    if i >= n or text[i] != "[":
        return None
    i += 1
    elements: list[tuple[int, int, str]] = []
    expect_value = True
    first = True
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return None
        ch = text[i]
        if ch == "]" and (first or not expect_value):
            return elements, i + 1
        if expect_value and ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return None
            try:
                value = json.loads(text[i : j + 1])
            except ValueError:
                return None
            elements.append((i, j + 1, value))
            i = j + 1
            expect_value = False
            first = False
        elif not expect_value and ch == ",":
            i += 1
            expect_value = True
        else:
            return None
