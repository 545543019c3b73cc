"""Markdown helpers for hover text, and the one conversion to plain text.

Every hover is written once, in a small Markdown subset (headings, paragraphs,
``- `` bullets, pipe tables, fenced code, inline code, ``**bold**``, links,
backslash escapes and ``---`` rules). Rule documentation comes from
``dockerls.sarif.rule_help`` in the same subset. :func:`to_plain` turns that subset
into readable plain text for clients that asked for ``plaintext``: tables are
aligned in columns, code blocks are indented, and no Markdown syntax remains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = ["bullets", "code", "escape", "table", "to_plain"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Text from the document (or elsewhere) made inert in Markdown."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def code(text: str) -> str:
    """An inline code span that survives backticks inside ``text``."""
    text = text.replace("\n", " ").replace("\r", " ")
    if not text:
        return "``"
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    # A span must not be confused with a table cell separator inside tables.
    return f"{fence}{pad}{text}{pad}{fence}"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table; cells are Markdown already (pipes inside must be escaped)."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("\n", " ") for c in cells) + " |"

    out = [line(header), "|" + "|".join("---" for _ in header) + "|"]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


# --------------------------------------------------------------------------- plain text

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^:?-{1,}:?$")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?![\s*])([^*\n]+?)(?<![\s\\])\*(?![\w*])")
_UNESCAPE = re.compile(r"\\([\\`*_\[\]{}()<>#+\-.!|~])")


def _inline(text: str) -> str:
    """Inline Markdown to plain text: code spans keep their content verbatim."""
    kept: list[str] = []

    def hold(m: re.Match[str]) -> str:
        inner = m.group(2)
        if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
            inner = inner[1:-1]
        kept.append(inner)
        return f"\x00{len(kept) - 1}\x00"

    text = _prose(_CODE_SPAN.sub(hold, text.replace("\x00", "")))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _prose(text: str) -> str:
    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        return f"{label} ({url})" if url and url != label else label

    text = _LINK.sub(link, text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    return _UNESCAPE.sub(r"\1", text)


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current).strip())
    return cells


def _plain_table(lines: list[str]) -> list[str]:
    rows = [_cells(line) for line in lines]
    rows = [r for r in rows if not all(_TABLE_SEP.match(c) for c in r if c) or not any(r)]
    rows = [[_inline(c) for c in r] for r in rows]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    sizes = [max(len(r[i]) for r in rows) for i in range(width)]
    return ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(r)).rstrip() for r in rows]


def to_plain(markdown: str) -> str:
    """Plain text for a client that cannot show Markdown."""
    out: list[str] = []
    lines = markdown.split("\n")
    i = 0
    fence: str | None = None
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            else:
                out.append("    " + line if line else "")
            i += 1
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            i += 1
            continue
        if line.lstrip().startswith("|"):
            block: list[str] = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            out.extend(_plain_table(block))
            continue
        if _RULE.match(line):
            out.append("")
        elif m := _HEADING.match(line):
            out.append(_inline(m.group(1)))
        elif line.lstrip().startswith("> "):
            out.append(_inline(line.lstrip()[2:]))
        else:
            out.append(_inline(line))
        i += 1
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
