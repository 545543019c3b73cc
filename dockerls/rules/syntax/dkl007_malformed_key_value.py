"""DKL007 malformed-key-value: ENV or LABEL pairs are malformed."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

MALFORMED_KEY_VALUE = problem_rule(
    parser.MALFORMED_KEY_VALUE,
    Severity.ERROR,
    "ENV or LABEL pairs are malformed.",
    RuleDocs(
        what="ENV or LABEL with a key and no value, a blank key, or the `key=value` form "
        "mixed with bare words.",
        why="The builder stops with a syntax error.",
        example="ENV NODE_ENV",
        instead="ENV NODE_ENV=production",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#env",),
    ),
)
