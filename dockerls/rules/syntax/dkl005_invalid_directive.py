"""DKL005 invalid-directive: A parser directive is repeated or has an invalid value."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

INVALID_DIRECTIVE = problem_rule(
    parser.INVALID_DIRECTIVE,
    Severity.ERROR,
    "A parser directive is repeated or has an invalid value.",
    RuleDocs(
        what="A second `# escape=` (or `# syntax=`, `# check=`) directive, or an escape "
        "character other than backslash or backtick.",
        why="The builder rejects the file.",
        example="# escape=x",
        instead="# escape=`",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#parser-directives",),
    ),
)
