"""Package managers grouped by language ecosystem.

Used by DKL301 (``find_source_before_install``: a glob of JavaScript files may be the
install scripts a Node install runs) and the .dockerignore suggestions.
"""

from __future__ import annotations

from dockerls.context import PackageManager

NODE = frozenset({PackageManager.NPM, PackageManager.YARN, PackageManager.PNPM, PackageManager.BUN})
PYTHON = frozenset(
    {PackageManager.PIP, PackageManager.POETRY, PackageManager.UV, PackageManager.PIPENV}
)
