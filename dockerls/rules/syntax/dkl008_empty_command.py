"""DKL008 empty-command: RUN, CMD or ENTRYPOINT has nothing after it."""

from __future__ import annotations

from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import RuleDocs
from dockerls.rules.syntax.problems import problem_rule
from dockerls.syntax import Severity, parser

EMPTY_COMMAND = problem_rule(
    parser.EMPTY_COMMAND,
    Severity.WARNING,
    "RUN, CMD or ENTRYPOINT has nothing after it.",
    RuleDocs(
        what="A RUN, CMD or ENTRYPOINT keyword with no command after it.",
        why="BuildKit builds it (unlike other instructions without arguments, DKL002), but "
        "it does nothing useful: usually the command was lost to a stray line break or an "
        "unfinished edit.",
        example="RUN\n    apt-get update",
        instead="RUN apt-get update",
        fix_safety="No automatic fix.",
        references=(DOCKERFILE_REFERENCE + "#run",),
    ),
)
