"""DKL352 host-directory-sent-to-build: A whole-context COPY sends a big host directory that
.dockerignore does not exclude."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.cache.context_paths import context_hit_target
from dockerls.rules.cache.dockerignore_suggestions import directories_sent
from dockerls.rules.doc_links import BUILD_CONTEXT, CACHE_OPTIMIZE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Severity
from dockerls.wording import join

_DIRECTORY_COST = {
    "node_modules": "packages installed on the host, whose native modules are built for the "
    "host's OS and libc",
    ".venv": "a host virtualenv whose interpreter links point at the host's Python",
    "venv": "a host virtualenv whose interpreter links point at the host's Python",
    ".git": "the repository history, which changes on every commit and fetch and keeps this "
    "layer from caching",
    "__pycache__": "host bytecode that changes whenever Python runs locally",
    "target": "host build output, often gigabytes, that the Dockerfile rebuilds",
    "dist": "host build output that the Dockerfile rebuilds",
    "build": "host build output that the Dockerfile rebuilds",
}


@rule(
    "DKL352",
    "host-directory-sent-to-build",
    Category.CONTEXT,
    Severity.WARNING,
    summary="A whole-context COPY sends a big host directory that .dockerignore does not exclude.",
    docs=RuleDocs(
        what="A `COPY .` or `ADD .` when the build context holds `node_modules`, `.venv`, "
        "`venv`, `.git` or `__pycache__` (or `target`, `dist`, `build` when the Dockerfile "
        "builds them itself) and the `.dockerignore` does not exclude it, by Docker's "
        "matching rules (`**`, and `!` exceptions that re-include). Only reported when the "
        "files next to the Dockerfile are known and a .dockerignore exists (without one, "
        "DKL351 reports).",
        why="These directories are large and belong to the host: a host `node_modules` holds "
        "native modules built for the host's OS and libc (they fail on Alpine's musl or "
        "another architecture) and `npm install` may keep them; a virtualenv points at the "
        "host's interpreter; `.git` changes on every commit, so the COPY layer never caches; "
        "build output is rebuilt in the image anyway. All of it is sent to the builder on "
        "every build and lands in the image.",
        example="# .dockerignore lists only .git, and node_modules/ exists\n"
        "FROM node:22-alpine\nCOPY . .\nRUN npm ci",
        instead="# .dockerignore\n.git\nnode_modules",
        fix_safety="No automatic fix: the edit belongs in .dockerignore (add the directory "
        "names listed in the message).",
        references=(
            BUILD_CONTEXT + "#dockerignore-files",
            CACHE_OPTIMIZE + "#keep-the-context-small",
        ),
    ),
)
def host_directory_sent_to_build(ctx: RuleContext) -> Iterator[Hit]:
    found = context_hit_target(ctx)
    if found is None or not ctx.build_context.has_dockerignore():
        return
    directories = directories_sent(ctx)
    if not directories:
        return
    ins, token = found
    stage = ctx.document.stage_of(ins)
    image = ctx.image(stage) if stage is not None else None
    costs = []
    for d in directories:
        cost = _DIRECTORY_COST.get(d, "a host directory")
        if d == "node_modules" and image is not None and image.libc == "musl":
            cost += ", while this image uses musl"
        costs.append(f"{d} ({cost})")
    noun = "it" if len(directories) == 1 else "them"
    yield Hit(
        token.span,
        f"`{ins.keyword.text.upper()} {token.text}` sends {join(costs)} into the image: the "
        f".dockerignore does not exclude {noun}. Add {join(list(directories))} to it.",
    )
