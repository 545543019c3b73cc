"""DKL003 unterminated-heredoc: A heredoc is never closed."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

UNTERMINATED_HEREDOC = problem_rule(
    parser.UNTERMINATED_HEREDOC,
    Severity.ERROR,
    "A heredoc is never closed.",
    RuleDocs(
        what="A `<<EOF` heredoc with no line holding just its delimiter after it.",
        why="Everything to the end of the file becomes the heredoc's body, and the builder "
        "refuses the file with 'unterminated heredoc'.",
        example="RUN <<EOF\napt-get update",
        instead="RUN <<EOF\napt-get update\nEOF",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#here-documents",),
    ),
)
