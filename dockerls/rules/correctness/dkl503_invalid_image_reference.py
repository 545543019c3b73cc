"""DKL503 invalid-image-reference: An image reference does not follow Docker's reference grammar."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.correctness.image_references import reference_problem
from dockerls.rules.correctness.spans import piece
from dockerls.rules.correctness.stage_references import earlier_stage, stage_refs_of
from dockerls.rules.correctness.variable_scopes import global_scope
from dockerls.rules.correctness.word_processing import IDENTIFIER, Env, process_word
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.syntax import Instruction, Severity, Stage, Token

_REFERENCE_GRAMMAR = "https://github.com/distribution/reference/blob/main/reference.go"


def _ref_hit(ins: Instruction | None, token: Token, text: str, what: str) -> Hit | None:
    """A hit for an invalid reference written literally as ``token``."""
    problem = reference_problem(text)
    if problem is None:
        return None
    span = piece(ins, token, problem.start, problem.end) if token.text == text else token.span
    fixes: tuple[Fix, ...] = ()
    if problem.fix is not None and token.text == text:
        fixes = (Fix(f"Use '{problem.fix}'", (TextEdit(span, problem.fix),)),)
    return Hit(span, f"Invalid image reference '{text}' in {what}: {problem.message}.", fixes)


@rule(
    "DKL503",
    "invalid-image-reference",
    Category.CORRECTNESS,
    Severity.ERROR,
    summary="An image reference does not follow Docker's reference grammar.",
    docs=RuleDocs(
        what="A literal image reference in FROM, `COPY --from` or `RUN --mount=from=` that "
        "Docker can not parse: uppercase letters in the repository, characters outside "
        "`[a-z0-9._-]`, an empty or invalid tag, a malformed or unsupported digest, a bad "
        "registry host, or a `--from` with a variable (the builder does not expand it there). "
        "A FROM image or platform made only of names no global ARG declares is always "
        "empty there, so it is judged too; other FROM references with variables are left to "
        "DKL533. A FROM that "
        "names a stage with different casing (`FROM Builder` after `AS builder`) is one "
        "too: FROM matches stage names exactly, so it is read as an image.",
        why="The build fails at once with 'invalid reference format'.",
        example="FROM Node:20-alpine\nCOPY --from=golang: /usr/local/go /go",
        instead="FROM node:20-alpine\nCOPY --from=golang:1.22 /usr/local/go /go",
        fix_safety="An uppercase repository name is lowercased (the only spelling that "
        "parses); other problems get no fix.",
        references=(DOCKERFILE_REFERENCE + "#from", _REFERENCE_GRAMMAR),
    ),
)
def invalid_image_reference(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    refs: list[Hit] = []  # reported after the FROMs
    for stage, (at_from, in_flags) in zip(
        doc.stages, ctx.kept_each(_image_references), strict=True
    ):
        refs += [hit for text, hit in in_flags if doc.stage_named(text) is None]
        if at_from is None:
            continue
        name, hit = at_from
        stage_like = earlier_stage(doc, name, stage.index)
        if stage_like is not None and name == name.lower():
            continue  # FROM an earlier stage
        if hit is not None and stage_like is not None and stage_like.name is not None:
            hit = Hit(
                hit.span,
                f"FROM '{name}' does not name stage '{stage_like.name.text}': FROM matches "
                "stage names exactly (lowercase), so it is read as an image name, which must "
                "be lowercase.",
                hit.fixes,
                (Related(stage_like.name.span, "the stage"),),
            )
        if hit is not None:
            yield hit
    yield from refs
    declared = global_scope(doc)
    for stage in ctx.stages:
        yield from _undeclared_only(stage, declared, doc.escape)


def _undeclared_only(stage: Stage, declared: Env, escape: str) -> Iterator[Hit]:
    """A FROM image or platform made only of names no ARG before the first FROM declares:
    they are always empty (``--build-arg`` can not set them), so the value is known, and
    BuildKit rejects it when it is no valid reference or an empty platform."""
    ins = stage.from_
    words = [("FROM", ins.args[0])] if ins.args else []
    words += [("FROM --platform", f.value) for f in ins.flags_named("platform") if f.value]
    for what, token in words:
        processed = process_word(token.text, {}, escape)
        uses = [u.name for u in processed.uses]
        value = processed.value
        if not uses or value is None or processed.error is not None:
            continue
        if any(name in declared or not IDENTIFIER.fullmatch(name) for name in uses):
            continue  # DKL533 judges what the defaults give
        if what == "FROM":
            problem = reference_problem(value)
            reason = problem.message if problem is not None else None
        else:
            reason = "the platform is empty" if not value.strip() else None
        if reason is not None:
            names = ", ".join(f"${n}" for n in dict.fromkeys(uses))
            yield Hit(
                token.span,
                f"{what} {token.text} is always '{value}' ({names}: no ARG before the first "
                f"FROM declares it, and --build-arg can not set it): {reason}.",
            )


def _image_references(
    ctx: RuleContext, stage: Stage
) -> tuple[tuple[str, Hit | None] | None, list[tuple[str, Hit]]]:
    """The literal reference of the stage's FROM with its problem, if any, and the
    literal ``--from`` values that have one (unless they name a stage)."""
    at_from: tuple[str, Hit | None] | None = None
    ins = stage.from_
    if ins.args and "$" not in ins.args[0].text:  # with variables: DKL533
        token = ins.args[0]
        name = process_word(token.text, {}, ctx.document.escape).value
        if name is not None:
            at_from = (name, _ref_hit(ins, token, name, "FROM"))
    in_flags: list[tuple[str, Hit]] = []
    for ref in stage_refs_of(stage):
        if "$" in ref.text:
            if ref.what == "COPY --from":  # a mount's from= with a variable: DKL505
                message = (
                    f"{ref.what}={ref.text}: the builder does not expand variables here; name "
                    "the image in a stage (a global ARG, then FROM ${ARG} AS name) and use that "
                    "name."
                )
                in_flags.append((ref.text, Hit(ref.span, message)))
            continue
        if ref.text.isdigit():
            continue
        hit = _ref_hit(ref.instruction, Token(ref.text, ref.span), ref.text, ref.what)
        if hit is not None:
            in_flags.append((ref.text, hit))
    return at_from, in_flags
