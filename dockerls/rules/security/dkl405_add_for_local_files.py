"""DKL405 add-for-local-files: ADD copies local files; COPY says what it does."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import BEST_PRACTICES, DOCKERFILE_REFERENCE, HADOLINT_WIKI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import ADD_EXTRACTS
from dockerls.rules.security.expansion import resolve
from dockerls.syntax import Instruction, Severity

_REMOTE = re.compile(r"^(?:https?://|git@|git://|ssh://)", re.IGNORECASE)
_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})


def _add_sources(ins: Instruction) -> list[str] | None:
    """The source operands of an ADD (None when there is no destination yet)."""
    if ins.heredocs:
        return [""]  # inline content
    if ins.exec_form is not None:
        items = [e.text for e in ins.exec_form.elements]
    else:
        items = [a.text.strip("\"'") for a in ins.args]
    if len(items) < 2:
        return None
    return items[:-1]


def _is_local_file(source: str | None) -> bool:
    """A source ADD copies as it is: not remote, not a tar archive, not unknown."""
    return source is not None and not _REMOTE.match(source) and not ADD_EXTRACTS.search(source)


@rule(
    "DKL405",
    "add-for-local-files",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="ADD copies local files; COPY says what it does.",
    docs=RuleDocs(
        what="ADD whose sources are local files or directories (or a heredoc). ADD of a URL or "
        "git repository, and ADD of a local tar archive (`.tar`, `.tar.gz`/`.tgz`, "
        "`.tar.bz2`, `.tar.xz`, `.tar.zst`…) meant to be extracted, are not flagged. A "
        "`.zip` is flagged: ADD does not extract zip files.",
        why="ADD has extra behaviour COPY has not: it downloads URLs and unpacks tar "
        "archives. Used for plain files it hides intent, and a file that happens to be a "
        "tar archive (a renamed backup, a vendored tarball) is silently unpacked instead of "
        "copied. COPY does exactly one thing, and Docker's best practices recommend it for "
        "local files.",
        example="ADD . /app",
        instead="COPY . /app",
        fix_safety="The fix replaces the ADD keyword with COPY, in the same letter case; "
        "the flags ADD and COPY share (--chown, --chmod, --link, --exclude) keep working. It "
        "is not offered when ADD-only flags (--checksum, --keep-git-dir, --unpack) are given.",
        references=(
            DOCKERFILE_REFERENCE + "#add",
            DOCKERFILE_REFERENCE + "#copy",
            BEST_PRACTICES + "#add-or-copy",
            HADOLINT_WIKI + "DL3020",
        ),
    ),
    hadolint=("DL3020",),
)
def add_for_local_files(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for ins in ctx.effective(stage):
            if ins.name != "ADD":
                continue
            sources = _add_sources(ins)
            if not sources:
                continue
            if not all(_is_local_file(resolve(ctx, source, ins)) for source in sources):
                continue
            fixes: tuple[Fix, ...] = ()
            if not any(f.name.text.lower() in _ADD_ONLY_FLAGS for f in ins.flags):
                keyword = ins.keyword.text
                copy = "COPY" if keyword.isupper() else "copy" if keyword.islower() else "Copy"
                fixes = (Fix("Use COPY instead of ADD", (TextEdit(ins.keyword.span, copy),)),)
            what = "inline content" if ins.heredocs else "local files"
            yield Hit(
                ins.keyword.span,
                f"ADD of {what}: use COPY, which copies without ADD's URL download and "
                "tar auto-extraction.",
                fixes,
            )
