"""DKL529 undefined-variable: A variable is used where no ARG or ENV defines it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.buildkit_checks.reference_edits import rename_fixes, verbatim_at
from dockerls.rules.correctness.expanded_words import (
    expanded_heredocs,
    heredoc_references,
    instruction_words,
)
from dockerls.rules.correctness.spans import piece
from dockerls.rules.correctness.spelling import did_you_mean, same_case, suggest
from dockerls.rules.correctness.variable_scopes import PLATFORM_ARGS, scopes
from dockerls.rules.correctness.word_processing import IDENTIFIER, Env, VarUse, process_word
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Dockerfile, Instruction, Position, Severity, Span, Stage, Token


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
            BUILD_CHECKS + "undefined-var/",
            DOCKERFILE_REFERENCE + "#scope",
            DOCKERFILE_REFERENCE + "#automatic-platform-args-in-the-global-scope",
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
        rename_fixes(name_span, options, "$") if verbatim_at(name_span, name) else (),
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
