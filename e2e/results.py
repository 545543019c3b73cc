"""The e2e results table, e2e/RESULTS.md, written again at the end of every e2e session.

Any e2e test adds rows to a section; the session's end (conftest's ``pytest_sessionfinish``)
writes every section that has rows, in the order they were first used, each as a Markdown
table whose columns are the union of its rows' keys (in first-seen order)::

    from e2e import results
    results.record("Builds", {"fixture": "node-ts", "variant": "split-slim", "size": "358MB"})
    results.note("Builds", "Sizes are uncompressed, as `docker images` counts them.")

A session that recorded nothing (all skipped: not root, no engine) leaves the file as it was.
"""

from __future__ import annotations

import datetime
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def mb(size: int | None) -> str:
    """A size in bytes as ``docker images`` prints it: decimal units, 3 significant digits."""
    if size is None:
        return ""
    value = float(size)
    units = ("B", "kB", "MB", "GB", "TB")
    unit = 0
    while value >= 1000 and unit < len(units) - 1:
        value /= 1000
        unit += 1
    return f"{value:.3g}{units[unit]}"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


class Table:
    """Sections of rows and notes, rendered as Markdown."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, str]]] = {}
        self.notes: dict[str, list[str]] = {}
        self.keys: dict[str, tuple[str, ...]] = {}

    def keyed(self, section: str, *columns: str) -> None:
        """Rows of ``section`` are told apart by these columns: a run replaces the rows it
        recorded and keeps the previous file's other rows of the section."""
        self.keys[section] = columns

    def record(self, section: str, row: dict[str, object]) -> None:
        """Add one row to ``section`` (values shown with ``str``; None as an empty cell)."""
        self.notes.setdefault(section, [])
        self.rows.setdefault(section, []).append(
            {k: "" if v is None else str(v) for k, v in row.items()}
        )

    def note(self, section: str, text: str) -> None:
        """A paragraph under ``section``'s heading, above its table (each text once)."""
        self.rows.setdefault(section, [])
        notes = self.notes.setdefault(section, [])
        if text not in notes:
            notes.append(text)

    def _section(self, section: str, kept: list[str]) -> list[str]:
        out = [f"## {section}", ""]
        for text in self.notes.get(section, []):
            out += [text, ""]
        rows = self.rows.get(section, [])
        if section in self.keys and kept:
            rows = _merge(_table(kept), rows, self.keys[section])
        if rows:
            columns: list[str] = []
            for row in rows:
                columns += [k for k in row if k not in columns]
            out.append("| " + " | ".join(columns) + " |")
            out.append("|" + "---|" * len(columns))
            for row in rows:
                out.append("| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |")
            out.append("")
        return out

    def render(self, command: str, previous: str = "") -> str:
        """The Markdown; the sections of ``previous`` (the file as it was) that this session
        did not record are kept where they were, so a partial run updates only its own."""
        when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        out = [
            "# e2e results",
            "",
            f"Written by `{command}` on {when} ({platform.machine()}, Python "
            f"{platform.python_version()}); regenerated on every run (sections and rows this "
            "run did not record are kept from the previous file), do not edit by hand. What each "
            "column means: e2e/README.md.",
            "",
        ]
        kept = _sections(previous)
        for section in [*kept, *(s for s in self.rows if s not in kept)]:
            if section in self.rows:
                out += self._section(section, kept.get(section, []))
            else:
                out += kept[section]
        return "\n".join(out)

    def write(self, path: Path, command: str) -> bool:
        """Write the results when any row was recorded; whether it was written."""
        if not any(self.rows.values()):
            return False
        previous = path.read_text(encoding="utf-8") if path.is_file() else ""
        path.write_text(self.render(command, previous), encoding="utf-8")
        return True


def _table(lines: list[str]) -> list[dict[str, str]]:
    """The rows of the Markdown table in a section's lines."""
    rows = [line.strip() for line in lines if line.startswith("|")]
    if len(rows) < 2:
        return []

    def cells(line: str) -> list[str]:
        return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1])]

    header = cells(rows[0])
    return [dict(zip(header, cells(line), strict=False)) for line in rows[2:]]


def _merge(
    old: list[dict[str, str]], new: list[dict[str, str]], keys: tuple[str, ...]
) -> list[dict[str, str]]:
    """``old`` with the rows of ``new`` in place of those with the same key, then the rest."""
    fresh = {tuple(r.get(k, "") for k in keys): r for r in new}
    merged = [fresh.pop(tuple(r.get(k, "") for k in keys), r) for r in old]
    return merged + [r for r in new if tuple(r.get(k, "") for k in keys) in fresh]


def _sections(text: str) -> dict[str, list[str]]:
    """The ``## `` sections of a results file, each with its lines (heading included)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        if current is not None:
            current.append(line)
    return found


SESSION = Table()  # the e2e session's results
record = SESSION.record
note = SESSION.note


def write(path: Path = RESULTS, command: str = "make e2e") -> bool:
    return SESSION.write(path, command)
