"""DKL001 unknown-instruction: A line starts with a word that is not a Dockerfile instruction."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

UNKNOWN_INSTRUCTION = problem_rule(
    parser.UNKNOWN_INSTRUCTION,
    Severity.ERROR,
    "A line starts with a word that is not a Dockerfile instruction.",
    RuleDocs(
        what="The first word of an instruction line is not one of the 18 instructions.",
        why="The builder stops with 'unknown instruction'. It is usually a typo, or a "
        "continuation line whose previous line lost its trailing escape character.",
        example="RUNN apt-get update",
        instead="RUN apt-get update",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE,),
    ),
)
