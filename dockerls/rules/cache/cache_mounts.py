"""Whether a RUN's cache mount covers a package manager's cache directory.

Used by DKL301 (``find_source_before_install``: a build whose downloads are in a cache
mount is the dependency step itself) and DKL304 (an install already mounted).
"""

from __future__ import annotations

from dockerls.dockerignore import go_clean


def under(path: str, other: str) -> bool:
    """Whether one path is the other or lies under it, either way round."""
    a, b = go_clean(path), go_clean(other)
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")
