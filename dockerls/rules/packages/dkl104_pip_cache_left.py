"""DKL104 pip-cache-left: pip or uv keeps its download cache in the layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.doc_links import CACHE_MOUNTS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import insert_after
from dockerls.rules.packages.run_view import each_run, fills
from dockerls.syntax import Severity


@rule(
    "DKL104",
    "pip-cache-left",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="pip or uv keeps its download cache in the layer.",
    hadolint=("DL3042",),
    docs=RuleDocs(
        what="`pip install` (`pip3`, `python -m pip`, `pip install --upgrade pip` "
        "included) in a shipping stage without `--no-cache-dir`, without `PIP_NO_CACHE_DIR` "
        "set (by ENV, ARG, `export` or inline), without a cache or tmpfs mount on the pip "
        "cache (~/.cache/pip, or $PIP_CACHE_DIR) and without removing it (`pip cache "
        "purge`, `rm -rf ~/.cache/pip`) later in the same RUN. Also uv's installs, `uv pip "
        "install`/`uv pip sync`, `uv sync`, `uv add`, `uv run` (which syncs the project "
        "first) and `uv tool install`, without `--no-cache`, `UV_NO_CACHE`, a mount on "
        "~/.cache/uv (or $UV_CACHE_DIR) or `uv cache clean` later in the same RUN. "
        "About PIP_NO_CACHE_DIR: pip disables the cache for every boolean value it "
        "accepts, `false`, `0` and `off` included (kept for backwards compatibility), and "
        "refuses other values; so any non-empty value counts as set.",
        why="pip stores every downloaded wheel and HTTP response under ~/.cache/pip (uv "
        "under ~/.cache/uv), a second copy of everything it installed. For large packages "
        "this is a lot: a single torch wheel is hundreds of MB. The cache is never used "
        "again in the image.",
        example="RUN pip install -r requirements.txt",
        instead="RUN pip install --no-cache-dir -r requirements.txt",
        fix_safety="The quick fix inserts `--no-cache-dir` after `install` (`--no-cache` "
        "after uv's subcommand). Safe: the same packages are installed.",
        references=(
            "https://pip.pypa.io/en/stable/topics/caching/",
            "https://docs.astral.sh/uv/guides/integration/docker/#caching",
            CACHE_MOUNTS,
        ),
    ),
)
def pip_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in each_run(ctx):
        for i, found in fills(run, ("pip", "uv")):
            if not run.left(i, found.place):
                continue
            if found.tool == "pip":
                flag, written, other = "--no-cache-dir", "pip install", "PIP_NO_CACHE_DIR=1"
            else:
                flag, other = "--no-cache", "UV_NO_CACHE=1"
                written = run.quote(i, found.word)
            yield Hit(
                found.word.span,
                f"`{written}` keeps every downloaded wheel in {found.place.label}, a second "
                f"copy left in this layer; add `{flag}` (or set `ENV {other}`, or use a "
                f"cache mount).",
                fixes=(Fix(f"Add {flag}", (insert_after(run.at.ins, found.word, flag),)),),
            )
