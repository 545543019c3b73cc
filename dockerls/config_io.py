"""The edge that finds and reads configuration files.

``[tool.dockerls]`` in a ``pyproject.toml``, or a ``.dockerls.toml`` (whose top
level is the table), in the Dockerfile's directory or the nearest parent that has
one. Within one directory ``.dockerls.toml`` wins. The search stops at the
workspace root when one is given, and at the filesystem root otherwise.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dockerls.config import Settings


@dataclass(frozen=True, slots=True)
class ConfigFile:
    path: Path | None  # None: no configuration file found
    settings: Settings
    complaints: list[str] = field(default_factory=list)


def _table(path: Path) -> tuple[object | None, str | None]:
    """The dockerls table of a config file, or why it could not be read."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
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
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    root = workspace_root.resolve() if workspace_root is not None else None
    visited: list[Path] = []
    found = ConfigFile(None, Settings())
    for folder in (directory, *directory.parents):
        if cache is not None and folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        here = _config_in(folder)
        if here is not None:
            found = here
            break
        if root is not None and folder == root:
            break
    if cache is not None:
        cache.update(dict.fromkeys(visited, found))
    return found


def _config_in(folder: Path) -> ConfigFile | None:
    """The configuration file in ``folder`` itself, or None to look further up."""
    for name in (".dockerls.toml", "pyproject.toml"):
        candidate = folder / name
        if not candidate.is_file():
            continue
        table, error = _table(candidate)
        if error is not None:
            return ConfigFile(candidate, Settings(), [error])
        if table is None:
            continue  # a pyproject.toml without [tool.dockerls]
        settings, complaints = Settings.from_mapping(table)
        return ConfigFile(candidate, settings, [f"{candidate}: {c}" for c in complaints])
    return None
