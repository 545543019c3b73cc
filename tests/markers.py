"""Marker-based test helpers: write ``⟨text⟩`` around a range instead of counting columns."""

from __future__ import annotations

from dockerls.syntax import Position, Span

OPEN, CLOSE = "⟨", "⟩"


def extract(marked: str) -> tuple[str, list[Span]]:
    """Remove the markers; return the clean text and the marked spans in order of opening."""
    out: list[str] = []
    line = col = 0
    stack: list[tuple[int, Position]] = []
    found: list[tuple[int, Span]] = []
    order = 0
    i = 0
    while i < len(marked):
        ch = marked[i]
        if ch == OPEN:
            stack.append((order, Position(line, col)))
            order += 1
        elif ch == CLOSE:
            idx, start = stack.pop()
            found.append((idx, Span(start, Position(line, col))))
        else:
            out.append(ch)
            if ch == "\n" or (ch == "\r" and marked[i + 1 : i + 2] != "\n"):
                line += 1
                col = 0
            elif ch != "\r":
                col += 1
        i += 1
    assert not stack, "unbalanced markers"
    return "".join(out), [span for _, span in sorted(found, key=lambda x: x[0])]
