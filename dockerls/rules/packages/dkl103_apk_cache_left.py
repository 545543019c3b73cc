"""DKL103 apk-cache-left: apk keeps its package index in /var/cache/apk."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.doc_links import BEST_PRACTICES
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import insert_after
from dockerls.rules.packages.run_view import each_run, fills
from dockerls.syntax import Severity


@rule(
    "DKL103",
    "apk-cache-left",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="apk keeps its package index in /var/cache/apk.",
    hadolint=("DL3019",),
    docs=RuleDocs(
        what="`apk add` without `--no-cache`, or `apk update` (and `apk upgrade` without "
        "`--no-cache`), in a shipping stage, when the same RUN does not remove "
        "/var/cache/apk and no cache or tmpfs mount covers it.",
        why="Without `--no-cache`, apk stores the repository indexes (the APKINDEX files, "
        "a few MB together) in /var/cache/apk, and they stay in the layer. On an image "
        "whose base is under 6 MB, that is a large share. `apk add --no-cache` fetches "
        "fresh indexes without storing them, so `apk update` is not needed either.",
        example="RUN apk update && apk add curl",
        instead="RUN apk add --no-cache curl",
        fix_safety="The quick fix inserts `--no-cache` after `add`, and deletes an "
        "`apk update` run just before it in the same RUN (with its `&&` or `;`): the "
        "`--no-cache` add fetches fresh indexes itself. Safe: the same packages are "
        "installed from freshly fetched indexes. An `apk update` that is not simply run "
        "right before the add (another command in between, after `||`, in a condition or "
        "another subshell) stays and is reported on its own.",
        references=(
            "https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper",
            BEST_PRACTICES,
        ),
    ),
)
def apk_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in each_run(ctx):
        left = [(i, f) for i, f in fills(run, ("apk",)) if run.left(i, f.place)]
        adds = [(i, f) for i, f in left if f.word.text == "add"]
        # `apk add --no-cache` fetches a fresh index: an `apk update` run just before the
        # add is deleted by the add's fix.
        updates = {i for i, f in left if f.word.text == "update"}
        for j, found in adds:
            update = run.deletion(j - 1) if j - 1 in updates else None
            yield Hit(
                found.word.span,
                "`apk add` without `--no-cache` keeps the package index in /var/cache/apk "
                "in this layer; add `--no-cache`"
                + (" (the `apk update` before it is then not needed)." if update else "."),
                fixes=(
                    Fix(
                        "Add --no-cache" + (" and drop apk update" if update else ""),
                        (
                            *((update,) if update else ()),
                            insert_after(run.at.ins, found.word, "--no-cache"),
                        ),
                    ),
                ),
            )
        if left and not adds:
            word = left[0][1].word
            yield Hit(
                word.span,
                f"`apk {word.text}` stores the package index in /var/cache/apk and nothing "
                f"in this RUN removes it. Use `apk add --no-cache`, which fetches a fresh "
                f"index without keeping it.",
            )
