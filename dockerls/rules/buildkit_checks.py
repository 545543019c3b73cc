"""BuildKit's build checks, offline (DKL520-DKL537).

``docker build --check`` runs these only when a Docker daemon is around; here they
run on the text, with better ranges and with fixes. Each rule names its BuildKit
check in ``buildkit=`` so ``# check=skip=<Name>`` silences it. JSONArgsRecommended
is DKL407 and SecretsUsedInArgOrEnv is DKL403 (security family).

``# check=error=true`` turns every BuildKit check into a build error. Rules do not
configure themselves, so that is applied centrally: ``escalate_checks`` below is the
pure function ``analysis.analyze`` calls after suppression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from dockerls.findings import Finding, Fix, Related, Tag, TextEdit
from dockerls.rules.correctness import (
    CHECKS,
    IDENTIFIER,
    PLATFORM_ARGS,
    REF,
    Env,
    VarUse,
    all_stage_refs,
    did_you_mean,
    expanded_heredocs,
    expose_problem,
    expose_words,
    global_scope,
    heredoc_references,
    instruction_lines,
    instruction_words,
    piece,
    process_word,
    reference_problem,
    same_case,
    scopes,
    split_port,
    suggest,
    whole_lines,
)
from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs, Scope, rule
from dockerls.suppression import Equivalents
from dockerls.syntax import Dockerfile, Instruction, Position, Severity, Span, Stage, Token
from dockerls.syntax.lexer import split_words

# --------------------------------------------------------------------------- # check=error=true

_TRUE = frozenset({"1", "t", "true"})


def check_options(doc: Dockerfile) -> dict[str, str]:
    """The ``# check=`` directive as ``{key: value}`` (keys lower-cased)."""
    directive = doc.directive("check")
    if directive is None:
        return {}
    options: dict[str, str] = {}
    for part in directive.value.text.split(";"):
        key, eq, value = part.partition("=")
        if eq and key.strip():
            options[key.strip().lower()] = value.strip()
    return options


def errors_requested(doc: Dockerfile) -> bool:
    """Whether ``# check=error=true`` makes BuildKit's checks fail the build."""
    return check_options(doc).get("error", "").lower() in _TRUE


def escalate_checks(
    findings: Iterable[Finding], doc: Dockerfile, equivalents: Mapping[str, Equivalents]
) -> list[Finding]:
    """Under ``# check=error=true``, every finding of a BuildKit check becomes an error.

    Call it after suppression (a skipped check stays silent) and before the user's
    severity overrides (an explicit setting still wins).
    """
    if not errors_requested(doc):
        return list(findings)
    result: list[Finding] = []
    for finding in findings:
        eq = equivalents.get(finding.code)
        if eq is not None and eq.buildkit and finding.severity != Severity.ERROR:
            result.append(replace(finding, severity=Severity.ERROR))
        else:
            result.append(finding)
    return result


# --------------------------------------------------------------------------- helpers


def _newline(doc: Dockerfile) -> str:
    if "\r\n" in doc.text:
        return "\r\n"
    return "\r" if "\r" in doc.text and "\n" not in doc.text else "\n"


def _indent(doc: Dockerfile, line: int) -> str:
    text = doc.lines[line]
    return text[: len(text) - len(text.lstrip(" \t"))]


def _insert_before(doc: Dockerfile, ins: Instruction, line_text: str) -> TextEdit:
    """A new line with ``line_text`` just above ``ins``, indented like it."""
    start = Position(ins.start_line, 0)
    return TextEdit(Span(start, start), _indent(doc, ins.start_line) + line_text + _newline(doc))


def _exact(span: Span, text: str) -> bool:
    """Whether ``text`` sits at ``span`` verbatim (so an edit there replaces just it)."""
    return span.start.line == span.end.line and span.end.column - span.start.column == len(text)


def _quoted(value: str, escape: str) -> str:
    """``value`` as a double-quoted word that BuildKit reads back verbatim."""
    out = []
    for ch in value:
        if ch in '"$' or ch == escape:
            out.append(escape)
        out.append(ch)
    return '"' + "".join(out) + '"'


# --------------------------------------------------------------------------- DKL520


@rule(
    "DKL520",
    "stage-name-not-lowercase",
    Category.STYLE,
    Severity.WARNING,
    summary="A stage name has uppercase letters.",
    docs=RuleDocs(
        what="`FROM … AS Builder`: a stage name with uppercase letters.",
        why="BuildKit lowercases stage names. `COPY --from` finds the stage in any case, "
        "but FROM compares the name as written: `FROM Builder` does not find the stage and "
        "fails as an invalid image name. Lowercase names avoid the trap.",
        example="FROM golang:1.22 AS Builder\nFROM alpine:3.20\nCOPY --from=Builder /app /app",
        instead="FROM golang:1.22 AS builder\nFROM alpine:3.20\nCOPY --from=builder /app /app",
        fix_safety="The fix renames the stage and every reference to it (FROM, COPY --from, "
        "RUN --mount from=) to lowercase; stage lookups ignore case, so the build does not "
        "change. It is not offered when a reference can not be edited exactly.",
        references=(CHECKS + "stage-name-casing/", REF + "#from"),
    ),
    buildkit=("StageNameCasing",),
)
def stage_name_not_lowercase(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in doc.stages:
        name = stage.name
        if name is None or name.text == name.text.lower():
            continue
        lower = name.text.lower()
        edits = [TextEdit(name.span, lower)]
        exact = True
        for other in doc.stages[stage.index + 1 :]:
            image = other.image
            if image is not None and image.text.lower() == lower and image.text != lower:
                edits.append(TextEdit(image.span, lower))
        for ref in all_stage_refs(ctx):
            if ref.text.lower() == lower and ref.text != lower:
                exact = exact and _exact(ref.span, ref.text)
                edits.append(TextEdit(ref.span, lower))
        fixes = (Fix(f"Rename the stage to '{lower}'", tuple(edits)),) if exact else ()
        yield Hit(
            name.span,
            f"Stage name '{name.text}' should be lowercase ('{lower}'): FROM does not find "
            "a stage written in another case.",
            fixes,
        )


# --------------------------------------------------------------------------- DKL521


@rule(
    "DKL521",
    "from-as-casing-mismatch",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="The AS keyword is not in the same case as FROM.",
    docs=RuleDocs(
        what="`FROM image as name` (uppercase FROM, lowercase as) and the reverse.",
        why="Both work; mixing them reads as a mistake and BuildKit warns about it.",
        example="FROM node:20 as build",
        instead="FROM node:20 AS build",
        fix_safety="The fix rewrites AS in the case of FROM; nothing else changes.",
        references=(CHECKS + "from-as-casing/",),
    ),
    buildkit=("FromAsCasing",),
)
def from_as_casing_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        ins = stage.from_
        keyword = ins.keyword.text
        if len(ins.args) < 3 or ins.args[1].text.upper() != "AS":
            continue
        if keyword not in (keyword.upper(), keyword.lower()):
            continue  # mixed-case FROM: DKL523
        as_token = ins.args[1]
        expected = same_case("AS", keyword)
        if as_token.text != expected:
            yield Hit(
                as_token.span,
                f"'{as_token.text}' and '{keyword}' are not in the same case.",
                (Fix(f"Write {expected}", (TextEdit(as_token.span, expected),)),),
            )


# --------------------------------------------------------------------------- DKL522


def _logical_last_line(ins: Instruction) -> int:
    """The last line of the instruction itself (heredoc bodies excluded)."""
    if ins.heredocs:
        return max(ins.start_line, ins.heredocs[0].marker.span.end.line)
    return ins.end_line


@rule(
    "DKL522",
    "empty-continuation-line",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A blank line inside a continued instruction.",
    docs=RuleDocs(
        what="An empty (or white-space only) line between the lines of an instruction "
        "continued with the escape character. Heredoc bodies are not affected.",
        why="The builder skips the blank line today, but BuildKit deprecates it ('Empty "
        "continuation lines will become errors in a future release'). It also often "
        "hides a mistake: a stray escape at the end of the line before it swallows the "
        "next instruction.",
        example="RUN apt-get update && \\\n\n    apt-get install -y curl",
        instead="RUN apt-get update && \\\n    apt-get install -y curl",
        fix_safety="The fix deletes the blank lines; the builder already ignores them, so "
        "the build does not change.",
        references=(CHECKS + "no-empty-continuation/", REF + "#escape"),
    ),
    buildkit=("NoEmptyContinuation",),
)
def empty_continuation_line(ctx: RuleContext) -> Iterator[Hit]:
    lines = ctx.document.lines
    for ins in ctx.checked():
        end = _logical_last_line(ins)
        if end == len(lines) - 1 and end > ins.start_line and not lines[end]:
            end -= 1  # the empty "line" after the file's last line break
        line = ins.start_line + 1
        while line <= end:
            if lines[line].strip():
                line += 1
                continue
            first = line
            while line + 1 <= end and not lines[line + 1].strip():
                line += 1
            yield Hit(
                Span(Position(first, 0), Position(line, len(lines[line]))),
                f"Empty continuation line in {ins.name}: the builder skips it now, and it "
                "will become an error.",
                (Fix("Remove the empty line", (TextEdit(whole_lines(first, line), ""),)),),
            )
            line += 1


# --------------------------------------------------------------------------- DKL523


def _casing_counts(keywords: list[Token]) -> tuple[int, int]:
    lower = sum(1 for k in keywords if k.text == k.text.lower())
    upper = sum(1 for k in keywords if k.text == k.text.upper() and k.text != k.text.lower())
    return lower, upper


@dataclass(frozen=True, slots=True)
class _Casing:
    """The instruction keywords of a part of the file: how many are lowercase and
    uppercase, and those that are not (in order)."""

    lower: int
    upper: int
    count: int
    not_lower: tuple[Token, ...]
    not_upper: tuple[Token, ...]

    @staticmethod
    def of(keywords: list[Token]) -> _Casing:
        lower, upper = _casing_counts(keywords)
        return _Casing(
            lower,
            upper,
            len(keywords),
            tuple(k for k in keywords if k.text != k.text.lower()),
            tuple(k for k in keywords if k.text != k.text.upper()),
        )


def _stage_casing(ctx: RuleContext, stage: Stage) -> _Casing:
    return _Casing.of([stage.from_.keyword, *(ins.keyword for ins in stage.instructions)])


@rule(
    "DKL523",
    "inconsistent-instruction-casing",
    Category.STYLE,
    Severity.WARNING,
    summary="An instruction keyword is not in the case most of the file uses.",
    docs=RuleDocs(
        what="A keyword in mixed case (`Run`), or in the minority case of the file: "
        "lowercase in a file of mostly uppercase keywords, or the reverse. An all-lowercase "
        "file is fine. (BuildKit counts the stages only; dockerls also checks the ARGs "
        "before the first FROM.)",
        why="Keywords are case-insensitive, but a mix reads badly and BuildKit warns.",
        example="FROM alpine:3.20\nrun apk add --no-cache curl\nCopy app /app",
        instead="FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app",
        fix_safety="The fix rewrites the keyword in the majority case; nothing else changes.",
        references=(CHECKS + "consistent-instruction-casing/",),
    ),
    buildkit=("ConsistentInstructionCasing",),
)
def inconsistent_instruction_casing(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    before = doc.instructions[: doc.stages[0].from_.index] if doc.stages else doc.instructions
    parts = [_Casing.of([ins.keyword for ins in before])]
    parts += ctx.kept_each(_stage_casing)
    lower = sum(p.lower for p in parts)
    upper = sum(p.upper for p in parts)
    total = sum(p.count for p in parts)
    majority_lower = lower > upper
    for keyword in (k for p in parts for k in (p.not_lower if majority_lower else p.not_upper)):
        expected = keyword.text.lower() if majority_lower else keyword.text.upper()
        case = "lowercase" if majority_lower else "uppercase"
        yield Hit(
            keyword.span,
            f"'{keyword.text}' should be {case} like the other instructions "
            f"({max(lower, upper)} of {total} are {case}).",
            (Fix(f"Write {expected}", (TextEdit(keyword.span, expected),)),),
        )


# --------------------------------------------------------------------------- DKL524, DKL525


@rule(
    "DKL524",
    "duplicate-stage-name",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="Two stages have the same name.",
    docs=RuleDocs(
        what="A stage name (compared case-insensitively) used by an earlier stage too.",
        why="References resolve to one of them only: `COPY --from` and `--target` pick "
        "the last definition, while a FROM sees the one above it, so the same name means "
        "different stages in different places. BuildKit warns; the Node language server "
        "calls it an error, but the build goes on.",
        example="FROM node:20 AS build\nRUN npm ci\nFROM golang:1.22 AS build\nRUN go build",
        instead="FROM node:20 AS web-build\nRUN npm ci\nFROM golang:1.22 AS api-build\n"
        "RUN go build",
        fix_safety="No automatic fix: which references mean which stage is not known.",
        references=(CHECKS + "duplicate-stage-name/",),
    ),
    hadolint=("DL3024",),
    buildkit=("DuplicateStageName",),
)
def duplicate_stage_name(ctx: RuleContext) -> Iterator[Hit]:
    seen: dict[str, Token] = {}
    for stage in ctx.document.stages:
        name = stage.name
        if name is None:
            continue
        first = seen.get(name.text.lower())
        if first is None:
            seen[name.text.lower()] = name
            continue
        yield Hit(
            name.span,
            f"Stage name '{name.text}' is already used (line {first.span.start.line + 1}).",
            related=(Related(first.span, "first defined here"),),
        )


_RESERVED = ("scratch", "context")


@rule(
    "DKL525",
    "reserved-stage-name",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A stage is named scratch or context.",
    docs=RuleDocs(
        what="`AS scratch` or `AS context` (any case).",
        why="`scratch` is the empty base image and `context` names the build context in "
        "`COPY --from=context` and named contexts; a stage with either name shadows or "
        "confuses them.",
        example="FROM alpine:3.20 AS context",
        instead="FROM alpine:3.20 AS app-context",
        fix_safety="No automatic fix: pick a new name and update its references.",
        references=(CHECKS + "reserved-stage-name/",),
    ),
    hadolint=("DL3063",),
    buildkit=("ReservedStageName",),
)
def reserved_stage_name(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        if stage.name is not None and stage.name.text.lower() in _RESERVED:
            yield Hit(
                stage.name.span,
                f"'{stage.name.text}' is reserved and should not name a stage.",
            )


# --------------------------------------------------------------------------- DKL526


@rule(
    "DKL526",
    "deprecated-maintainer",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="MAINTAINER is deprecated.",
    docs=RuleDocs(
        what="The MAINTAINER instruction.",
        why="It is deprecated in favour of a label, which tools read (OCI's "
        "`org.opencontainers.image.authors`); BuildKit warns on every build.",
        example="MAINTAINER Jane Doe <jane@example.com>",
        instead='LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"',
        fix_safety="The fix rewrites it as that LABEL with the same text, quoted; the "
        "image gets the label instead of the deprecated author field.",
        references=(CHECKS + "maintainer-deprecated/", REF + "#maintainer-deprecated"),
    ),
    hadolint=("DL4000",),
    buildkit=("MaintainerDeprecated",),
)
def deprecated_maintainer(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for ins in ctx.checked():
        if ins.name != "MAINTAINER":
            continue
        fixes: tuple[Fix, ...] = ()
        if ins.rest is not None and not ins.comments:
            label = same_case("LABEL", ins.keyword.text)
            text = f"{label} org.opencontainers.image.authors={_quoted(ins.rest.text, doc.escape)}"
            edit = TextEdit(Span(ins.keyword.span.start, ins.rest.span.end), text)
            fixes = (Fix("Use LABEL org.opencontainers.image.authors", (edit,)),)
        yield Hit(
            ins.keyword.span,
            "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors.",
            fixes,
            tags=frozenset({Tag.DEPRECATED}),
        )


# --------------------------------------------------------------------------- DKL527


def _rename(span: Span, options: list[str], what: str) -> tuple[Fix, ...]:
    return tuple(
        Fix(f"Use {what}{o}", (TextEdit(span, o),), safe=len(options) == 1) for o in options
    )


def _from_words(stage: Stage) -> Iterator[tuple[Instruction, Token]]:
    ins = stage.from_
    if ins.args:
        yield ins, ins.args[0]
    for flag in ins.flags_named("platform"):
        if flag.value is not None:
            yield ins, flag.value


@rule(
    "DKL527",
    "undeclared-arg-in-from",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="FROM uses a variable that no ARG before the first FROM declares.",
    docs=RuleDocs(
        what="`$NAME` in a FROM image or `--platform` where NAME is neither an ARG declared "
        "before the first FROM nor a predefined platform ARG (TARGETPLATFORM, BUILDARCH…).",
        why="Only global ARGs reach FROM. An undeclared name expands to an empty string, "
        "even when passed with `--build-arg`, so the base image silently changes or the "
        "build fails with an invalid reference.",
        example="FROM node:${NODE_VERSON}-alpine",
        instead="ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine",
        fix_safety="A misspelling with one close declared name is replaced with it; with "
        "several candidates each is offered, none preferred.",
        references=(
            CHECKS + "undefined-arg-in-from/",
            REF + "#understand-how-arg-and-from-interact",
        ),
    ),
    buildkit=("UndefinedArgInFrom",),
)
def undeclared_arg_in_from(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    declared = global_scope(doc)
    for stage in ctx.stages:
        for ins, token in _from_words(stage):
            for use in process_word(token.text, declared, doc.escape).uses:
                if use.name in declared or not IDENTIFIER.fullmatch(use.name):
                    continue
                options = suggest(use.name, tuple(declared))
                name_span = piece(ins, token, use.name_start, use.name_end)
                yield Hit(
                    piece(ins, token, use.start, use.end),
                    f"FROM uses ${use.name}, which no ARG before the first FROM declares"
                    f"{did_you_mean(options)}: it is always empty here.",
                    _rename(name_span, options, "$") if _exact(name_span, use.name) else (),
                )


# --------------------------------------------------------------------------- DKL528

_ABSOLUTE = re.compile(r"^(?:/|\\|[A-Za-z]:[\\/])")


@rule(
    "DKL528",
    "relative-workdir",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="The first WORKDIR of a stage is a relative path.",
    docs=RuleDocs(
        what="A relative WORKDIR (`WORKDIR app`) when no earlier WORKDIR in the stage or "
        "the stages it is built FROM set an absolute one. Later relative WORKDIRs are "
        "fine: they build on the first.",
        why="A relative WORKDIR is resolved against the base image's working directory, "
        "which the base image chooses and may change in any release: `WORKDIR app` is "
        "`/app` on one image and `/usr/src/app` on another.",
        example="FROM node:20-slim\nWORKDIR app",
        instead="FROM node:20-slim\nWORKDIR /app",
        fix_safety="No automatic fix: the base image's directory is not known here.",
        references=(CHECKS + "workdir-relative-path/", REF + "#workdir"),
    ),
    hadolint=("DL3000",),
    buildkit=("WorkdirRelativePath",),
)
def relative_workdir(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in ctx.stages:
        if any(i.name == "WORKDIR" for s in ctx.graph.chain(stage)[:-1] for i in s.instructions):
            continue  # set (or inherited) in a stage this one is built FROM
        for ins, env in scopes(ctx, stage):
            if ins.name != "WORKDIR" or ins.rest is None:
                continue
            path = process_word(ins.rest.text, env, doc.escape, unset_unknown=True).value
            if path is not None and path and not _ABSOLUTE.match(path):
                yield Hit(
                    ins.rest.span,
                    f"Relative WORKDIR '{path}' depends on the base image's working "
                    "directory: write an absolute path.",
                )
            break


# --------------------------------------------------------------------------- DKL529

_ALWAYS_SET = frozenset({"PATH"})  # BuildKit gives every image a PATH


def _declared_args(ctx: RuleContext) -> dict[str, Token]:
    """Every ARG name of the file, with its first declaration.

    ENV names are left out: the base image may set the same name (LD_LIBRARY_PATH,
    JAVA_HOME), so an ENV elsewhere says nothing about this stage.
    """
    doc = ctx.document
    before = doc.instructions[: doc.stages[0].from_.index] if doc.stages else doc.instructions
    names: dict[str, Token] = {}
    for part in (_args_in(before), *ctx.kept_each(_stage_args)):
        for name, key in part:
            names.setdefault(name, key)
    return names


def _args_in(instructions: Iterable[Instruction]) -> list[tuple[str, Token]]:
    return [(p.key.text, p.key) for ins in instructions if ins.name == "ARG" for p in ins.pairs]


def _stage_args(ctx: RuleContext, stage: Stage) -> list[tuple[str, Token]]:
    return _args_in((stage.from_, *stage.instructions))


def _stage_words(ins: Instruction, env: Env) -> Iterator[tuple[Token, Env]]:
    """The words of ``ins`` that BuildKit expands, each with the scope it sees.

    Within one ARG, a pair sees the ones before it; ENV sees only what came before
    the instruction.
    """
    if ins.name != "ARG":
        for word in instruction_words(ins):
            yield word.token, env
        return
    local = dict(env)
    for pair in ins.pairs:
        if pair.raw_value is not None:
            yield pair.raw_value, local
        local[pair.key.text] = None


@rule(
    "DKL529",
    "undefined-variable",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="A variable is used where no ARG or ENV defines it.",
    docs=RuleDocs(
        what="`$NAME` in an instruction the builder expands (COPY, ADD, ENV, LABEL, ARG, "
        "WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, --chown, --chmod, --mount, and the body "
        "of a COPY/ADD heredoc with an unquoted delimiter) that no ARG "
        "or ENV defines at that point of the stage. Without a daemon the base image's "
        "environment is unknown, so dockerls reports a name only when it is sure: it is "
        "an ARG elsewhere in the file but not in scope here (a global ARG not "
        "redeclared, an ARG of another stage or further down), it is a platform ARG "
        "(TARGETARCH…) not declared in the stage, it looks like a misspelling of a defined "
        "name, or the stage is built on scratch. Names with a default (`${NAME:-x}`) are "
        "not reported. RUN, CMD and ENTRYPOINT are expanded by the shell and not checked.",
        why="An undefined variable expands to an empty string without any error: "
        "`COPY app-$VERSION.jar` copies `app-.jar`, `WORKDIR /src/$APP` is `/src/`.",
        example="ARG VERSION=1.4.2\nFROM eclipse-temurin:21-jre\nCOPY app-${VERSION}.jar /app.jar",
        instead="ARG VERSION=1.4.2\nFROM eclipse-temurin:21-jre\nARG VERSION\n"
        "COPY app-${VERSION}.jar /app.jar",
        fix_safety="For a global or platform ARG the fix inserts `ARG NAME` above the first "
        "use in the stage, which makes the value the file meant available. A misspelling "
        "with one close defined name is replaced with it; several candidates are offered, "
        "none preferred.",
        references=(
            CHECKS + "undefined-var/",
            REF + "#scope",
            REF + "#automatic-platform-args-in-the-global-scope",
        ),
    ),
    buildkit=("UndefinedVar",),
)
def undefined_variable(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    declared = _declared_args(ctx)
    globals_ = {pair.key.text for ins in doc.global_args for pair in ins.pairs}
    for stage, uses in zip(doc.stages, ctx.kept_each(_undefined_uses), strict=True):
        root = ctx.graph.root(stage)
        from_scratch = root.image is not None and root.image.text.lower() == "scratch"
        declared_here: set[str] = set()  # names whose ARG the fix of a first use inserts
        for use in uses:
            name = use.name
            platform = name in PLATFORM_ARGS
            elsewhere = declared.get(name)
            if not (platform or elsewhere or use.options or from_scratch):
                continue
            yield _undefined_hit(
                use,
                elsewhere=elsewhere,
                is_global=name in globals_,
                declare=name not in declared_here,
            )
            declared_here.add(name)


@dataclass(frozen=True, slots=True)
class _Undefined:
    """A use of a variable that is not in scope, as plain data (kept across versions)."""

    name: str
    span: Span  # the whole reference
    declaration: Fix  # declares the ARG just above the instruction
    options: list[str]  # names in scope like it
    renames: tuple[Fix, ...]  # to each of them


def _undefined_uses(ctx: RuleContext, stage: Stage) -> list[_Undefined]:
    """The uses in ``stage`` of variables not in scope, with the names in scope like them."""
    found: list[_Undefined] = []
    doc = ctx.document
    for ins, env in scopes(ctx, stage):
        for token, scope in _stage_words(ins, env):
            for use in process_word(token.text, scope, doc.escape).uses:
                if _undefined_here(use, scope):
                    name_span = piece(ins, token, use.name_start, use.name_end)
                    span = piece(ins, token, use.start, use.end)
                    found.append(
                        _undefined(doc, ins, use.name, span=span, name_span=name_span, scope=scope)
                    )
        for heredoc in expanded_heredocs(ins):  # BuildKit expands these bodies too
            for offset, reference in heredoc_references(heredoc, doc.escape):
                for use in process_word(reference, env, doc.escape).uses:
                    if _undefined_here(use, env):
                        at = offset + use.name_start
                        name_span = Span(heredoc.locate(at), heredoc.locate(at + len(use.name)))
                        span = Span(
                            heredoc.locate(offset + use.start), heredoc.locate(offset + use.end)
                        )
                        found.append(
                            _undefined(
                                doc, ins, use.name, span=span, name_span=name_span, scope=env
                            )
                        )
    return found


def _undefined_here(use: VarUse, scope: Env) -> bool:
    name = use.name
    if name in scope or name in _ALWAYS_SET:
        return False
    return not use.guarded and IDENTIFIER.fullmatch(name) is not None


def _undefined(
    doc: Dockerfile, ins: Instruction, name: str, *, span: Span, name_span: Span, scope: Env
) -> _Undefined:
    # Only names a reference can spell: `$A🐳` reads as `$A`, so ENV A🐳=1 is no
    # suggestion for it.
    options = suggest(name, {n for n in (*scope, *_ALWAYS_SET) if IDENTIFIER.fullmatch(n)})
    arg = same_case("ARG", ins.keyword.text)
    insert = _insert_before(doc, ins, f"{arg} {name}")
    return _Undefined(
        name,
        span,
        Fix(f"Declare {arg} {name} in this stage", (insert,)),
        options,
        _rename(name_span, options, "$") if _exact(name_span, name) else (),
    )


def _undefined_hit(
    use: _Undefined, *, elsewhere: Token | None, is_global: bool, declare: bool
) -> Hit:
    """The finding for one undefined use; ``declare``: offer to declare the ARG here
    (only the first use in a stage, so that applying every fix declares it once)."""
    name, span, options = use.name, use.span, use.options
    fixes = (use.declaration,) if declare else ()
    if name in PLATFORM_ARGS:
        return Hit(
            span,
            f"${name} is not defined in this stage: platform ARGs are global, declare "
            f"'ARG {name}' in the stage to use it.",
            fixes,
        )
    if is_global:
        return Hit(
            span,
            f"${name} is a global ARG, which a stage does not see until it declares "
            f"'ARG {name}': here it is empty.",
            fixes,
            (Related(elsewhere.span, "declared here, before the first FROM"),) if elsewhere else (),
        )
    if options:
        return Hit(span, f"${name} is not defined here{did_you_mean(options)}.", use.renames)
    if elsewhere is not None:
        line = elsewhere.span.start.line + 1
        return Hit(
            span,
            f"${name} is not defined at this point of the stage (it is declared on line "
            f"{line}, which this instruction does not see): here it is empty.",
            related=(Related(elsewhere.span, "declared here"),),
        )
    return Hit(span, f"${name} is not defined: no ARG or ENV sets it, so it is empty.")


# --------------------------------------------------------------------------- DKL530

_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


@rule(
    "DKL530",
    "superseded-instruction",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A CMD, ENTRYPOINT or HEALTHCHECK is overridden later in the same stage.",
    docs=RuleDocs(
        what="Every CMD, ENTRYPOINT or HEALTHCHECK of a stage except the last of its kind. "
        "ONBUILD triggers are not counted.",
        why="Only the last one takes effect; the earlier ones are dead code that misleads "
        "readers (often a leftover of debugging).",
        example='CMD ["npm", "run", "dev"]\nCMD ["node", "server.js"]',
        instead='CMD ["node", "server.js"]',
        fix_safety="The fix deletes the overridden instruction; the image does not change.",
        references=(CHECKS + "multiple-instructions-disallowed/", REF + "#cmd"),
    ),
    hadolint=("DL4003", "DL4004", "DL3012"),
    buildkit=("MultipleInstructionsDisallowed",),
)
def superseded_instruction(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        last: dict[str, Instruction] = {}
        for ins in stage.instructions:
            if ins.name in _ONCE:
                last[ins.name] = ins
        for ins in stage.instructions:
            winner = last.get(ins.name)
            if winner is None or winner is ins:
                continue
            yield Hit(
                ins.span,
                f"This {ins.name} has no effect: the {ins.name} on line "
                f"{winner.start_line + 1} replaces it.",
                (
                    Fix(
                        f"Remove the overridden {ins.name}", (TextEdit(instruction_lines(ins), ""),)
                    ),
                ),
                (Related(winner.span, f"the {ins.name} that takes effect"),),
                frozenset({Tag.UNNECESSARY}),
            )


# --------------------------------------------------------------------------- DKL531


def _key_value_fix(ins: Instruction, key: Token, raw: Token, escape: str) -> Fix | None:
    if key.span.start.line != raw.span.end.line:
        return None
    words = split_words(raw.text, escape)
    if len(words) == 1:
        value = raw.text
    elif not any(c in raw.text for c in "\"'") and escape not in raw.text:
        value = f'"{raw.text}"'
    else:
        return None
    edit = TextEdit(Span(key.span.start, raw.span.end), f"{key.text}={value}")
    return Fix(f"Write {ins.name} {key.text}=…", (edit,))


@rule(
    "DKL531",
    "legacy-key-value-format",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="ENV or LABEL uses the legacy `KEY value` form.",
    docs=RuleDocs(
        what="`ENV KEY value` and `LABEL key value`, separated by white space instead of `=`.",
        why="The legacy form takes the whole rest of the line as the value, so it can only "
        "set one variable and quotes or trailing words end up in the value; it is "
        "deprecated and BuildKit warns.",
        example="ENV NODE_ENV production\nENV JAVA_OPTS -Xms256m -Xmx1g",
        instead='ENV NODE_ENV=production\nENV JAVA_OPTS="-Xms256m -Xmx1g"',
        fix_safety="The fix writes `KEY=value`, quoting a value of several words in double "
        "quotes; variables in it still expand. Values that mix quotes or escapes with "
        "several words, and values continued over lines, get no fix.",
        references=(CHECKS + "legacy-key-value-format/", REF + "#env"),
    ),
    buildkit=("LegacyKeyValueFormat",),
)
def legacy_key_value_format(ctx: RuleContext) -> Iterator[Hit]:
    escape = ctx.document.escape
    for ins in ctx.checked():
        if ins.name not in ("ENV", "LABEL"):
            continue
        for pair in ins.pairs:
            if not pair.legacy or pair.raw_value is None:
                continue
            fix = _key_value_fix(ins, pair.key, pair.raw_value, escape)
            yield Hit(
                pair.key.span,
                f'"{ins.name} {pair.key.text}=value" should be used instead of the legacy '
                f'"{ins.name} {pair.key.text} value" form.',
                (fix,) if fix is not None else (),
            )


# --------------------------------------------------------------------------- DKL532

_TARGET_PLATFORM = re.compile(r"\$(?:TARGETPLATFORM|\{TARGETPLATFORM\})")


@rule(
    "DKL532",
    "redundant-target-platform",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="`FROM --platform=$TARGETPLATFORM` repeats the default.",
    docs=RuleDocs(
        what="`FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).",
        why="The target platform is what FROM pulls anyway; the flag adds nothing. (It is "
        "`--platform=$BUILDPLATFORM` that changes something, for cross-compiling stages.)",
        example="FROM --platform=$TARGETPLATFORM alpine:3.20",
        instead="FROM alpine:3.20",
        fix_safety="The fix removes the flag; the pulled image is the same.",
        references=(CHECKS + "redundant-target-platform/", REF + "#from"),
    ),
    hadolint=("DL3065",),
    buildkit=("RedundantTargetPlatform",),
)
def redundant_target_platform(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        ins = stage.from_
        for flag in ins.flags_named("platform"):
            if flag.value is None or not _TARGET_PLATFORM.fullmatch(flag.value.text):
                continue
            following = [f.span for f in ins.flags if f.span.start > flag.span.start]
            following += [a.span for a in ins.args]
            cut = flag.span
            if following and following[0].start.line == flag.span.end.line:
                cut = Span(flag.span.start, following[0].start)
            yield Hit(
                flag.span,
                f"--platform={flag.value.text} is the default: FROM already pulls the target "
                "platform.",
                (Fix("Remove --platform", (TextEdit(cut, ""),)),),
            )


# --------------------------------------------------------------------------- DKL533

_PLATFORM_DEFAULTS = {
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
}


def arg_defaults(doc: Dockerfile) -> dict[str, str | None]:
    """The global ARGs as a build without --build-arg sees them (no default: empty)."""
    env: dict[str, str | None] = dict(_PLATFORM_DEFAULTS)
    for ins in doc.global_args:
        for pair in ins.pairs:
            value = ""
            if pair.raw_value is not None:
                value = process_word(pair.raw_value.text, env, doc.escape).value or ""
            env[pair.key.text] = value
    return env


@rule(
    "DKL533",
    "invalid-default-arg-in-from",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="With the ARG defaults, a FROM image reference is empty or invalid.",
    docs=RuleDocs(
        what="A FROM whose image uses global ARGs and, expanded with their defaults (an ARG "
        "without a default is empty), is not a valid image reference: `FROM $BASE` with a "
        "bare `ARG BASE`, `FROM node:${TAG}` with an empty TAG.",
        why="The Dockerfile only builds when every such ARG is passed with `--build-arg`; a "
        "plain `docker build` fails with 'invalid reference format' or 'base name should "
        "not be blank'.",
        example="ARG NODE_VERSION\nFROM node:${NODE_VERSION}-alpine",
        instead="ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine",
        fix_safety="No automatic fix: the right default is yours to choose.",
        references=(
            CHECKS + "invalid-default-arg-in-from/",
            REF + "#understand-how-arg-and-from-interact",
        ),
    ),
    buildkit=("InvalidDefaultArgInFrom",),
)
def invalid_default_arg_in_from(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    env = arg_defaults(doc)
    bare = {p.key.text: p for i in doc.global_args for p in i.pairs if p.raw_value is None}
    for stage in ctx.stages:
        ins = stage.from_
        if not ins.args or "$" not in ins.args[0].text:
            continue
        token = ins.args[0]
        processed = process_word(token.text, env, doc.escape)
        if processed.value is None or processed.error is not None:
            continue
        if any(u.name not in env for u in processed.uses if IDENTIFIER.fullmatch(u.name)):
            continue  # DKL527
        problem = reference_problem(processed.value)
        if problem is None:
            continue
        related = tuple(
            Related(bare[u.name].span, f"ARG {u.name} has no default")
            for u in processed.uses
            if u.name in bare
        )
        shown = f"'{processed.value}'" if processed.value else "empty"
        yield Hit(
            token.span,
            f"With the ARG defaults, '{token.text}' is {shown}: {problem.message}. Give the "
            "ARG a default, or the build fails unless --build-arg sets it.",
            related=related,
        )


# --------------------------------------------------------------------------- DKL534

_OSES = frozenset({"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "aix"})


def _os_arch(platform: str) -> tuple[str, str]:
    parts = [p.lower() for p in platform.split("/")]
    if len(parts) == 1:
        return (parts[0], "") if parts[0] in _OSES else ("", parts[0])
    return parts[0], parts[1]


@rule(
    "DKL534",
    "constant-platform-in-from",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="FROM --platform pins a constant platform.",
    docs=RuleDocs(
        what="`FROM --platform=linux/amd64 …` with a literal platform, unless the stage "
        "name mentions that OS or architecture (`AS build-amd64`).",
        why="The stage is pulled and built for that platform whatever the build asks for: "
        "a multi-platform build (`--platform linux/amd64,linux/arm64`) ships amd64 binaries "
        "in the arm64 image, or runs them under emulation. Pass the platform at build time, "
        "or use `--platform=$BUILDPLATFORM` for cross-compiling stages.",
        example="FROM --platform=linux/amd64 node:20-slim",
        instead="FROM node:20-slim\n# docker build --platform linux/amd64 .",
        fix_safety="No automatic fix: removing the flag changes what is pulled on other hosts.",
        references=(CHECKS + "from-platform-flag-const-disallowed/", REF + "#from"),
    ),
    hadolint=("DL3029",),
    buildkit=("FromPlatformFlagConstDisallowed",),
)
def constant_platform_in_from(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    for stage in ctx.stages:
        for flag in stage.from_.flags_named("platform"):
            value = flag.value
            if value is None or not value.text or "$" in value.text:
                continue
            platform = process_word(value.text, {}, doc.escape).value or ""
            os_name, arch = _os_arch(platform)
            name = stage.name_lower or ""
            if (os_name and os_name in name) or (arch and arch in name):
                continue
            yield Hit(
                value.span,
                f"FROM --platform={platform} pins the platform: every target of a "
                "multi-platform build gets this one. Pass --platform at build time instead.",
            )


# --------------------------------------------------------------------------- DKL535

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def _sources(ins: Instruction) -> Iterator[Token]:
    if ins.exec_form is not None:
        yield from ins.exec_form.elements[:-1]
        return
    heredocs = {h.marker.span for h in ins.heredocs}
    for token in ins.args[:-1]:
        if token.span not in heredocs:
            yield token


@rule(
    "DKL535",
    "copy-of-ignored-file",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="COPY or ADD names a path that .dockerignore excludes.",
    docs=RuleDocs(
        what="A COPY or ADD source from the build context (not `--from`, not a URL) that a "
        "pattern of the build context's `.dockerignore` excludes. Needs the build context: "
        "with an unsaved buffer the rule is silent.",
        why="The file never reaches the builder: COPY fails with 'not found', or a wildcard "
        "silently copies less than intended.",
        example="# .dockerignore: *.md\nCOPY README.md /docs/",
        instead="# .dockerignore: *.md and !README.md\nCOPY README.md /docs/",
        fix_safety="No automatic fix: change .dockerignore or the COPY.",
        references=(
            CHECKS + "copy-ignored-file/",
            "https://docs.docker.com/build/concepts/context/#dockerignore-files",
        ),
    ),
    buildkit=("CopyIgnoredFile",),
)
def copy_of_ignored_file(ctx: RuleContext) -> Iterator[Hit]:
    build = ctx.build_context
    ignore = build.dockerignore
    if ignore is None or not build.known:
        return
    doc = ctx.document
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            for token in _sources(ins):
                path = process_word(token.text, {}, doc.escape).value
                if not path or "$" in token.text or _REMOTE.match(path):
                    continue
                relative = path.lstrip("/")
                if relative in ("", ".", "./") or build.sends_to_daemon(relative) is not False:
                    continue
                pattern = ignore.matching_pattern(relative)
                where = f" (line {pattern.line + 1}: {pattern.text})" if pattern is not None else ""
                yield Hit(
                    token.span,
                    f"{ins.name} of '{path}', which .dockerignore excludes{where}: it is not in "
                    "the build context.",
                )


# --------------------------------------------------------------------------- DKL536, DKL537


@rule(
    "DKL536",
    "expose-protocol-not-lowercase",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="EXPOSE writes the protocol in uppercase.",
    docs=RuleDocs(
        what="`EXPOSE 80/TCP`: a protocol not in lowercase.",
        why="The builder lowercases it; BuildKit warns because the documented form is "
        "`tcp`, `udp` or `sctp`.",
        example="EXPOSE 53/UDP",
        instead="EXPOSE 53/udp",
        fix_safety="The fix lowercases the protocol; the image is the same.",
        references=(CHECKS + "expose-proto-casing/", REF + "#expose"),
    ),
    buildkit=("ExposeProtoCasing",),
)
def expose_protocol_not_lowercase(ctx: RuleContext) -> Iterator[Hit]:
    for ins, token, word in expose_words(ctx):
        spec = split_port(word)
        if spec.proto is None or spec.proto == spec.proto.lower() or expose_problem(word):
            continue  # lowercase, or invalid (DKL508)
        span = token.span
        fixes: tuple[Fix, ...] = ()
        if token.text == word:
            span = piece(ins, token, spec.proto_start, len(word))
            fixes = (Fix(f"Write {spec.proto.lower()}", (TextEdit(span, spec.proto.lower()),)),)
        yield Hit(span, f"Write the protocol of EXPOSE {word} in lowercase.", fixes)


@rule(
    "DKL537",
    "expose-host-mapping",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="EXPOSE holds an IP address or a host port mapping.",
    docs=RuleDocs(
        what="`EXPOSE 8080:80` or `EXPOSE 127.0.0.1:8080:80`.",
        why="EXPOSE only documents the container's port; publishing (and choosing a host "
        "port or address) happens at `docker run -p`. The host part is ignored today, and "
        "BuildKit says it will become an error.",
        example="EXPOSE 8080:80",
        instead="EXPOSE 80\n# docker run -p 8080:80 …",
        fix_safety="The fix keeps only the container port (and protocol); the image is the "
        "same, since the host part was ignored.",
        references=(CHECKS + "expose-invalid-format/", REF + "#expose"),
    ),
    buildkit=("ExposeInvalidFormat",),
)
def expose_host_mapping(ctx: RuleContext) -> Iterator[Hit]:
    for _, token, word in expose_words(ctx):
        spec = split_port(word)
        if (not spec.ip and not spec.host) or expose_problem(word):
            continue  # no mapping, or invalid (DKL508)
        kept = spec.container + (f"/{spec.proto}" if spec.proto is not None else "")
        fixes: tuple[Fix, ...] = ()
        if token.text == word:
            fixes = (Fix(f"Keep only {kept}", (TextEdit(token.span, kept),)),)
        yield Hit(
            token.span,
            f"EXPOSE {word} maps a host port or address, which EXPOSE ignores: expose "
            f"{kept} and publish with docker run -p.",
            fixes,
        )


RULES: tuple[Rule, ...] = (
    stage_name_not_lowercase,
    from_as_casing_mismatch,
    empty_continuation_line,
    inconsistent_instruction_casing,
    duplicate_stage_name,
    reserved_stage_name,
    deprecated_maintainer,
    undeclared_arg_in_from,
    relative_workdir,
    undefined_variable,
    superseded_instruction,
    legacy_key_value_format,
    redundant_target_platform,
    invalid_default_arg_in_from,
    constant_platform_in_from,
    copy_of_ignored_file,
    expose_protocol_not_lowercase,
    expose_host_mapping,
)
