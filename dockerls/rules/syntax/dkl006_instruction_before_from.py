"""DKL006 instruction-before-from: An instruction other than ARG comes before the first FROM."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

INSTRUCTION_BEFORE_FROM = problem_rule(
    parser.INSTRUCTION_BEFORE_FROM,
    Severity.ERROR,
    "An instruction other than ARG comes before the first FROM.",
    RuleDocs(
        what="Any instruction except ARG placed before the first FROM.",
        why="A build stage starts with FROM; the builder rejects anything else before it.",
        example="RUN echo hi\nFROM alpine:3.20",
        instead="FROM alpine:3.20\nRUN echo hi",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#from",),
    ),
    hadolint=("DL3061",),
)
