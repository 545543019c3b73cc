"""DKL004 malformed-exec-form: Arguments look like a JSON array but are not one."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

MALFORMED_EXEC_FORM = problem_rule(
    parser.MALFORMED_EXEC_FORM,
    Severity.WARNING,
    "Arguments look like a JSON array but are not one.",
    RuleDocs(
        what="Arguments that start with `[` but are not a valid JSON array of "
        "double-quoted strings (single quotes, a missing bracket, a trailing comma).",
        why="The builder silently falls back to the shell form and runs the text, brackets "
        "and all, through /bin/sh -c: the container fails at start, or gets a shell as "
        "PID 1 that does not forward signals.",
        example="CMD ['node', 'server.js']",
        instead='CMD ["node", "server.js"]',
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#shell-and-exec-form",),
    ),
)
