"""DKL508 invalid-expose-port: EXPOSE names an invalid port, port range or protocol."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.correctness.expose_ports import expose_problem, expose_words
from dockerls.rules.correctness.spans import piece
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL508",
    "invalid-expose-port",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="EXPOSE names an invalid port, port range or protocol.",
    docs=RuleDocs(
        what="An EXPOSE word whose port is not a number from 0 to 65535, a range that ends "
        "before it starts, a protocol other than tcp, udp or sctp, or an invalid IP or host "
        "port in a mapping. Variables are expanded with their defaults first.",
        why="The builder rejects the instruction ('invalid containerPort', 'invalid proto').",
        example="EXPOSE 80/xyz 99999 9000-8000",
        instead="EXPOSE 80/tcp 8080 8000-9000",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#expose",),
    ),
    hadolint=("DL3011",),
)
def invalid_expose_port(ctx: RuleContext) -> Iterator[Hit]:
    for ins, token, word in expose_words(ctx):
        problem = expose_problem(word)
        if problem is None:
            continue
        start, end, message = problem
        span = piece(ins, token, start, end) if token.text == word else token.span
        yield Hit(span, f"Invalid EXPOSE '{word}': {message}.")
