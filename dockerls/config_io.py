"""The edge that finds and reads configuration files.

``[tool.dockerls]`` in a ``pyproject.toml``, or a ``.dockerls.toml`` (whose top
level is the table), in the Dockerfile's directory or the nearest parent that has
one. Within one directory ``.dockerls.toml`` wins. The search stops at the
workspace root when one is given, and at the filesystem root otherwise.

With a workspace root nothing outside it is read: folders are walked as they are
named, a folder or a file that resolves (through symlinks) outside the root is
skipped. Only regular files of at most ``MAX_CONFIG_BYTES`` are read, so a FIFO cannot
block the search and a huge file cannot exhaust memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dockerls.config import Settings
from dockerls.context_io import NotReadable, read_regular_file

MAX_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class ConfigFile:
    path: Path | None  # None: no configuration file found
    settings: Settings
    complaints: list[str] = field(default_factory=list)


def _table(path: Path) -> tuple[object | None, str | None]:
    """The dockerls table of a config file, or why it could not be read."""
    import tomllib  # only when a file is found: it costs a server's start ~6 ms (datetime)

    try:
        data = tomllib.loads(read_regular_file(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except (OSError, NotReadable, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, f"{path}: cannot read dockerls configuration ({exc})"
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        return (tool.get("dockerls") if isinstance(tool, dict) else None), None
    return data, None


def find_config(
    start: Path,
    workspace_root: Path | None = None,
    cache: dict[Path, ConfigFile] | None = None,
) -> ConfigFile:
    """The configuration that applies to a Dockerfile at or under ``start``.

    ``cache`` (folder -> what applies there) lets a caller that looks up many files
    at once, as ``dockerls check`` does, search each folder once; it must be used
    with one ``workspace_root`` only, and only while the files do not change.
    """
    directory = Path(os.path.abspath(start if start.is_dir() else start.parent))
    root = _resolved(workspace_root) if workspace_root is not None else None
    visited: list[Path] = []
    found = ConfigFile(None, Settings())
    if workspace_root is not None and root is None:
        return found  # the workspace is gone: nothing is inside it
    for folder in (directory, *directory.parents):
        if cache is not None and folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        real = _resolved(folder) if root is not None else folder
        if real is None or (root is not None and not real.is_relative_to(root)):
            continue  # outside the workspace (perhaps through a symlink): not read
        here = _config_in(folder) if root is None else _config_in(folder, root)
        if here is not None:
            found = here
            break
        if real == root:
            break
    if cache is not None:
        cache.update(dict.fromkeys(visited, found))
    return found


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None


def _config_in(folder: Path, root: Path | None = None) -> ConfigFile | None:
    """The configuration file in ``folder`` itself, or None to look further up; with a
    ``root``, a file that resolves outside it is not read."""
    for name in (".dockerls.toml", "pyproject.toml"):
        candidate = folder / name
        if not candidate.is_file():
            continue
        if root is not None:
            real = _resolved(candidate)
            if real is None or not real.is_relative_to(root):
                continue  # a symlink out of the workspace is not followed
        table, error = _table(candidate)
        if error is not None:
            return ConfigFile(candidate, Settings(), [error])
        if table is None:
            continue  # a pyproject.toml without [tool.dockerls]
        settings, complaints = Settings.from_mapping(table)
        return ConfigFile(candidate, settings, [f"{candidate}: {c}" for c in complaints])
    return None
