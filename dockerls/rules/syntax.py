"""Syntax rules: the problems the parser records, given a code, a name and docs."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs
from dockerls.syntax import Severity, parser

_REF = "https://docs.docker.com/reference/dockerfile/"


def _problem_rule(
    kind: tuple[str, str],
    severity: Severity,
    summary: str,
    docs: RuleDocs,
    hadolint: tuple[str, ...] = (),
) -> Rule:
    code, name = kind

    def check(ctx: RuleContext) -> Iterator[Hit]:
        for problem in ctx.document.problems:
            if problem.code == code:
                yield Hit(problem.span, problem.message)

    return Rule(code, name, Category.SYNTAX, severity, summary, docs, check, hadolint=hadolint)


UNKNOWN_INSTRUCTION = _problem_rule(
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
        references=(_REF,),
    ),
)

MISSING_ARGUMENTS = _problem_rule(
    parser.MISSING_ARGUMENTS,
    Severity.ERROR,
    "An instruction has no arguments.",
    RuleDocs(
        what="An instruction keyword with nothing after it (for example a lone FROM).",
        why="Every instruction needs arguments; the build fails.",
        example="FROM",
        instead="FROM node:20-slim",
        fix_safety="No automatic fix.",
        references=(_REF,),
    ),
)

UNTERMINATED_HEREDOC = _problem_rule(
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
        references=(_REF + "#here-documents",),
    ),
)

MALFORMED_EXEC_FORM = _problem_rule(
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
        references=(_REF + "#shell-and-exec-form",),
    ),
)

INVALID_DIRECTIVE = _problem_rule(
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
        references=(_REF + "#parser-directives",),
    ),
)

INSTRUCTION_BEFORE_FROM = _problem_rule(
    parser.INSTRUCTION_BEFORE_FROM,
    Severity.ERROR,
    "An instruction other than ARG comes before the first FROM.",
    RuleDocs(
        what="Any instruction except ARG placed before the first FROM.",
        why="A build stage starts with FROM; the builder rejects anything else before it.",
        example="RUN echo hi\nFROM alpine:3.20",
        instead="FROM alpine:3.20\nRUN echo hi",
        fix_safety="No automatic fix.",
        references=(_REF + "#from",),
    ),
    hadolint=("DL3061",),
)

MALFORMED_KEY_VALUE = _problem_rule(
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
        references=(_REF + "#env",),
    ),
)

EMPTY_COMMAND = _problem_rule(
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
        references=(_REF + "#run",),
    ),
)

RULES: tuple[Rule, ...] = (
    UNKNOWN_INSTRUCTION,
    MISSING_ARGUMENTS,
    UNTERMINATED_HEREDOC,
    MALFORMED_EXEC_FORM,
    INVALID_DIRECTIVE,
    INSTRUCTION_BEFORE_FROM,
    MALFORMED_KEY_VALUE,
    EMPTY_COMMAND,
)
