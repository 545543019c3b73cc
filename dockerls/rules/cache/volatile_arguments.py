"""ARG names whose value usually changes on every build (a build date, a commit id,
a CI build number): DKL303's knowledge, tested on its own."""

from __future__ import annotations

import re

_NOT_VOLATILE = frozenset({"SOURCE_DATE_EPOCH", "CACHEBUST", "CACHE_BUST", "CACHEBUSTER"})
_TIME_TOKENS = frozenset({"DATE", "TIMESTAMP", "DATETIME", "BUILDDATE", "BUILDTIME"})
_COMMIT_TOKENS = frozenset({"COMMIT", "REVISION", "GITSHA", "COMMITSHA"})
_SHA_PARTNERS = frozenset(
    {"GIT", "COMMIT", "SOURCE", "VCS", "SHORT", "GITHUB", "CI", "BUILD", "HEAD"}
)
_BUILD_ID_PAIRS = (
    ("BUILD", "NUMBER"),
    ("BUILD", "ID"),
    ("BUILD", "NUM"),
    ("PIPELINE", "ID"),
    ("RUN", "ID"),
    ("RUN", "NUMBER"),
    ("JOB", "ID"),
)


def volatile_kind(name: str) -> str | None:
    """What an ARG named ``name`` usually carries when it changes on every build, or None.

    Deliberate cache busters (``CACHEBUST``) and ``SOURCE_DATE_EPOCH`` (set for
    reproducible builds, stable per commit) are left alone, and so is a plain
    ``VERSION``: it changes per release, not per build.
    """
    upper = name.upper()
    if upper in _NOT_VOLATILE:
        return None
    tokens = {t for t in re.split(r"[_\-]+", upper) if t}
    if tokens & _TIME_TOKENS or tokens == {"TIME"} or {"BUILD", "TIME"} <= tokens:
        return "a timestamp"
    if tokens & _COMMIT_TOKENS or {"VCS", "REF"} <= tokens:
        return "a commit id"
    if "SHA" in tokens and (tokens == {"SHA"} or tokens & _SHA_PARTNERS):
        return "a commit id"
    if any(a in tokens and b in tokens for a, b in _BUILD_ID_PAIRS):
        return "a CI build number"
    return None
