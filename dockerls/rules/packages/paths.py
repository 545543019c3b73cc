"""Paths as commands and instructions write them, compared with the places caches fill.

Resolved against WORKDIR, ``cd`` and the variables in force (``absolute_path``), brace
expanded, and matched as shell patterns: whether an ``rm`` empties a cache, whether a mount
covers it, where a COPY or ADD puts its files. Used by the RUN view, the artifacts and by
DKL101, DKL107, DKL109 and DKL115.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase

from dockerls.rules.build_state import ROOT_HOME, Step, resolve
from dockerls.rules.instruction_parts import operands
from dockerls.rules.package_managers import Cache

# Command substitutions that print a cache directory, as people write them in ``rm``.
_SUBSTITUTIONS = (
    ("$(yarn cache dir)", "/usr/local/share/.cache/yarn"),
    ("$(pip cache dir)", "/root/.cache/pip"),
    ("$(pip3 cache dir)", "/root/.cache/pip"),
    ("$(npm config get cache)", "/root/.npm"),
    ("$(go env GOCACHE)", "/root/.cache/go-build"),
    ("$(go env GOMODCACHE)", "/go/pkg/mod"),
)
_GLOB = re.compile(r"[*?\[]")
_BRACE = re.compile(r"\{([^{}]*,[^{}]*)\}")


def absolute_path(text: str, cwd: str, env: Mapping[str, str]) -> str | None:
    """An absolute, normalised path (or pattern); None when it depends on unknown values."""
    for written, meant in _SUBSTITUTIONS:
        text = text.replace(written, meant)
    return resolve(text, cwd, env)


def braces(text: str) -> list[str]:
    """Brace expansion as bash does it (``/var/{a,b}`` gives two words)."""
    m = _BRACE.search(text)
    if m is None:
        return [text]
    head, tail = text[: m.start()], text[m.end() :]
    return [x for part in m.group(1).split(",") for x in braces(head + part + tail)]


def inside(path: str, directory: str) -> bool:
    """``path`` is ``directory`` or lies under it."""
    return directory in (path, "/") or path.startswith(directory + "/")


def removes(pattern: str, location: str, contents: bool = True) -> bool:
    """Whether removing ``pattern`` (a path or a shell pattern) empties ``location``;
    with ``contents``, a glob over the directory's entries (``lists/*``) counts too."""
    if not _GLOB.search(pattern):
        return inside(location, pattern)
    if contents and pattern.startswith(location + "/"):
        return True  # lists/*, lists/*_*
    candidate = location
    while True:
        if fnmatchcase(candidate, pattern):
            return True
        if candidate == "/":
            return False
        candidate = posixpath.dirname(candidate)


def _root_home(path: str, env: Mapping[str, str]) -> str:
    """A path under some user's home written as under /root, so home caches compare."""
    home = env.get("HOME", ROOT_HOME)
    if home not in ("/", ROOT_HOME) and inside(path, home):
        return ROOT_HOME + path[len(home) :]
    m = re.match(r"/home/[^/]+(?=/|$)", path)
    return ROOT_HOME + path[m.end() :] if m else path


def removes_place(pattern: str, place: Cache, env: Mapping[str, str]) -> bool:
    """Whether removing ``pattern`` empties ``place``."""
    pattern = _root_home(pattern, env)
    return any(removes(pattern, _root_home(loc, env)) for loc in place.locations(env))


def covered_by(place: Cache, directories: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether one of ``directories`` (mount targets) contains ``place``."""
    locations = [_root_home(loc, env) for loc in place.locations(env)]
    return any(inside(loc, _root_home(d, env)) for d in directories for loc in locations)


def copy_dest(at: Step) -> str | None:
    """Where a COPY or ADD puts its files (None for other instructions, or when unknown)."""
    words = operands(at.ins) if at.ins.name in ("COPY", "ADD") else ()
    return absolute_path(words[-1].text, at.cwd, at.env) if len(words) >= 2 else None
