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

    def render(self, command: str) -> str:
        when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        out = [
            "# e2e results",
            "",
            f"Written by `{command}` on {when} ({platform.machine()}, Python "
            f"{platform.python_version()}); regenerated on every run, do not edit by hand. "
            "What each column means: e2e/README.md.",
            "",
        ]
        for section, rows in self.rows.items():
            out += [f"## {section}", ""]
            for text in self.notes.get(section, []):
                out += [text, ""]
            if not rows:
                continue
            columns: list[str] = []
            for row in rows:
                columns += [k for k in row if k not in columns]
            out.append("| " + " | ".join(columns) + " |")
            out.append("|" + "---|" * len(columns))
            for row in rows:
                out.append("| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |")
            out.append("")
        return "\n".join(out)

    def write(self, path: Path, command: str) -> bool:
        """Write the results when any row was recorded; whether it was written."""
        if not any(self.rows.values()):
            return False
        path.write_text(self.render(command), encoding="utf-8")
        return True


SESSION = Table()  # the e2e session's results
record = SESSION.record
note = SESSION.note


def write(path: Path = RESULTS, command: str = "make e2e") -> bool:
    return SESSION.write(path, command)
