"""DKL526 deprecated-maintainer: MAINTAINER is deprecated."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, Tag, TextEdit
from dockerls.rules.correctness.spelling import same_case
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity, Span


def _quoted(value: str, escape: str) -> str:
    """``value`` as a double-quoted word that BuildKit reads back verbatim."""
    out = []
    for ch in value:
        if ch in '"$' or ch == escape:
            out.append(escape)
        out.append(ch)
    return '"' + "".join(out) + '"'


@rule(
    "DKL526",
    "deprecated-maintainer",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="MAINTAINER is deprecated.",
    docs=RuleDocs(
        what="The MAINTAINER instruction.",
        why="It is deprecated in favour of a label, which tools read (OCI's "
        "`org.opencontainers.image.authors`); BuildKit warns on every build.",
        example="MAINTAINER Jane Doe <jane@example.com>",
        instead='LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"',
        fix_safety="The fix rewrites it as that LABEL with the same text, quoted; the "
        "image gets the label instead of the deprecated author field.",
        references=(
            BUILD_CHECKS + "maintainer-deprecated/",
            DOCKERFILE_REFERENCE + "#maintainer-deprecated",
        ),
    ),
    hadolint=("DL4000",),
    buildkit=("MaintainerDeprecated",),
)
def deprecated_maintainer(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for ins in ctx.checked():
        if ins.name != "MAINTAINER":
            continue
        fixes: tuple[Fix, ...] = ()
        if ins.rest is not None and not ins.comments:
            label = same_case("LABEL", ins.keyword.text)
            text = f"{label} org.opencontainers.image.authors={_quoted(ins.rest.text, doc.escape)}"
            edit = TextEdit(Span(ins.keyword.span.start, ins.rest.span.end), text)
            fixes = (Fix("Use LABEL org.opencontainers.image.authors", (edit,)),)
        yield Hit(
            ins.keyword.span,
            "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors.",
            fixes,
            tags=frozenset({Tag.DEPRECATED}),
        )
