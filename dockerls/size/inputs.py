"""What the estimator knows about the build context's files, as data (read at the edges by
``context_io.read_context_files``)."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

__all__ = ["ContextFiles", "LockedPackage", "locked_packages"]


@dataclass(frozen=True, slots=True)
class LockedPackage:
    name: str
    dev: bool = False  # a development-only dependency (npm ``"dev": true``)
    resolved: bool = True  # the lockfile names its download (npm ``"resolved"``)


@dataclass(frozen=True, slots=True)
class ContextFiles:
    """The files that reach the builder (``.dockerignore`` applied) and their sizes.

    ``complete`` is False when the walk stopped at its bound: sums are then lower bounds.
    ``locks`` holds the packages of the lockfiles and requirements files at the root.
    """

    files: tuple[tuple[str, int], ...] = ()  # (path relative to the root, bytes), sorted
    complete: bool = True
    locks: tuple[tuple[str, tuple[LockedPackage, ...]], ...] = ()

    def size_of(self, source: str) -> int | None:
        """Bytes a COPY source takes from the context: a file, a directory or a glob;
        None when nothing matches."""
        path = posixpath.normpath(source.lstrip("/")) if source.strip("./") else "."
        if path == ".":
            return sum(size for _, size in self.files)
        prefix = path.rstrip("/") + "/"
        globbed = any(ch in path for ch in "*?[")
        total = 0
        found = False
        for name, size in self.files:
            top = "/".join(name.split("/")[: path.count("/") + 1])
            if name == path or name.startswith(prefix) or (globbed and fnmatchcase(top, path)):
                total += size
                found = True
        return total if found else None

    def locked(self, name: str) -> tuple[LockedPackage, ...] | None:
        return next((packages for file, packages in self.locks if file == name), None)


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def locked_packages(file_name: str, text: str) -> tuple[LockedPackage, ...] | None:
    """The packages a lockfile or requirements file names; None when it cannot be read."""
    if file_name == "package-lock.json":
        try:
            data = json.loads(text)
        except ValueError:
            return None
        entries = data.get("packages") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            return None
        return tuple(
            LockedPackage(
                key.rsplit("node_modules/", 1)[1], bool(entry.get("dev")), "resolved" in entry
            )
            for key, entry in entries.items()
            if key.startswith("node_modules/") and isinstance(entry, dict) and not entry.get("link")
        )
    if file_name == "requirements.txt":
        found = []
        for line in text.splitlines():
            match = _REQUIREMENT.match(line)
            if match is not None and not line.lstrip().startswith("-"):
                found.append(LockedPackage(match.group(1).lower()))
        return tuple(found)
    # poetry.lock and uv.lock: one [[package]] table each, its name first; the project itself
    # (uv's ``source = { virtual = "." }`` or ``editable``) is not a download.
    found = []
    for table in re.split(r"^\[\[package\]\]\s*$", text, flags=re.MULTILINE)[1:]:
        name = re.search(r'^name = "([^"]+)"', table, flags=re.MULTILINE)
        local = re.search(r"^source = \{ *(?:virtual|editable) *=", table, flags=re.MULTILINE)
        if name is not None and local is None:
            found.append(LockedPackage(name.group(1).lower()))
    return tuple(found)
