"""DKL536 expose-protocol-not-lowercase: EXPOSE writes the protocol in uppercase."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.correctness.expose_ports import expose_problem, expose_words, split_port
from dockerls.rules.correctness.spans import piece
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL536",
    "expose-protocol-not-lowercase",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="EXPOSE writes the protocol in uppercase.",
    docs=RuleDocs(
        what="`EXPOSE 80/TCP`: a protocol not in lowercase.",
        why="The builder lowercases it; BuildKit warns because the documented form is "
        "`tcp`, `udp` or `sctp`.",
        example="EXPOSE 53/UDP",
        instead="EXPOSE 53/udp",
        fix_safety="The fix lowercases the protocol; the image is the same.",
        references=(BUILD_CHECKS + "expose-proto-casing/", DOCKERFILE_REFERENCE + "#expose"),
    ),
    buildkit=("ExposeProtoCasing",),
)
def expose_protocol_not_lowercase(ctx: RuleContext) -> Iterator[Hit]:
    for ins, token, word in expose_words(ctx):
        spec = split_port(word)
        if spec.proto is None or spec.proto == spec.proto.lower() or expose_problem(word):
            continue  # lowercase, or invalid (DKL508)
        span = token.span
        fixes: tuple[Fix, ...] = ()
        if token.text == word:
            span = piece(ins, token, spec.proto_start, len(word))
            fixes = (Fix(f"Write {spec.proto.lower()}", (TextEdit(span, spec.proto.lower()),)),)
        yield Hit(span, f"Write the protocol of EXPOSE {word} in lowercase.", fixes)
