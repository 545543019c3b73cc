"""DKL002 missing-arguments: An instruction has no arguments."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

MISSING_ARGUMENTS = problem_rule(
    parser.MISSING_ARGUMENTS,
    Severity.ERROR,
    "An instruction has no arguments.",
    RuleDocs(
        what="An instruction keyword with nothing after it (for example a lone FROM).",
        why="Every instruction needs arguments; the build fails.",
        example="FROM",
        instead="FROM node:20-slim",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE,),
    ),
)
