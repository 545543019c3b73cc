"""DKL351 dockerignore-missing: The whole build context is copied and there is no
.dockerignore."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.cache.context_paths import context_hit_target
from dockerls.rules.doc_links import BUILD_CONTEXT, CACHE_OPTIMIZE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Severity
from dockerls.wording import join


@rule(
    "DKL351",
    "dockerignore-missing",
    Category.CONTEXT,
    Severity.WARNING,
    summary="The whole build context is copied and there is no .dockerignore.",
    docs=RuleDocs(
        what="A `COPY .` or `ADD .` (the whole build context) when the context has no "
        "`.dockerignore` (nor `<Dockerfile name>.dockerignore`), or only an empty one. Only "
        "reported when the files next to the Dockerfile are known.",
        why="Without an ignore file every file in the directory is sent to the builder and "
        "copied into the image: the `.git` history, host `node_modules` or virtualenvs, local "
        "build output, `.env` files with secrets. The image grows, secrets leak into a layer, "
        "and the COPY layer's cache breaks whenever any of those files changes.",
        example="# no .dockerignore next to this Dockerfile\nFROM node:22-slim\n"
        "WORKDIR /app\nCOPY . .",
        instead="# .dockerignore\n.git\n.env\n**/node_modules\nDockerfile*\n.dockerignore",
        fix_safety="The editor action creates a `.dockerignore` with entries that fit the "
        "Dockerfile (the repository, `.env`, Docker's own files, and what the Dockerfile "
        "rebuilds itself, such as `node_modules` or `target`), leaving out any entry that "
        "would hide a path a COPY names. Creating the file changes what later builds send; "
        "review it before building.",
        references=(
            BUILD_CONTEXT + "#dockerignore-files",
            CACHE_OPTIMIZE + "#keep-the-context-small",
        ),
    ),
)
def dockerignore_missing(ctx: RuleContext) -> Iterator[Hit]:
    found = context_hit_target(ctx)
    if found is None:
        return
    context = ctx.build_context
    ignore = context.dockerignore
    empty = context.dockerignore_path is not None and ignore is not None and not ignore.patterns
    if context.has_dockerignore() is not False and not empty:
        return
    ins, token = found
    present = list(context.big_directories_sent() or ())
    if context.has_file(".env"):
        present.append(".env")
    detail = f" Here that includes {join(present)}." if present else ""
    state = "the .dockerignore is empty" if empty else "there is no .dockerignore"
    yield Hit(
        token.span,
        f"`{ins.keyword.text.upper()} {token.text}` copies the whole build context and {state}: "
        "everything next to the Dockerfile (the .git history, host dependency folders, build "
        f"output, .env secrets) goes into the image and into this layer's cache key.{detail}",
    )
