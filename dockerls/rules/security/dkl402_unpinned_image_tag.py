"""DKL402 unpinned-image-tag: An external image is used without a tag or with :latest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockerls.findings import Related
from dockerls.rules.build_state import global_args
from dockerls.rules.doc_links import BEST_PRACTICES, DOCKERFILE_REFERENCE, HADOLINT_WIKI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.security.expansion import resolve
from dockerls.syntax import Dockerfile, ImageRef, Instruction, Severity, Span, Stage
from dockerls.syntax.images import SpanOf, parse_image_ref
from dockerls.syntax.variables import expand


@dataclass(frozen=True, slots=True)
class _ImageUse:
    """One external image the build pulls, with where it is written."""

    written: str  # as written, variables unexpanded
    resolved: str | None  # ARG defaults expanded; None when unknowable
    ref: ImageRef  # the written reference split into parts, with spans
    span: Span  # the whole written reference
    what: str  # "FROM", "COPY --from", "RUN --mount from="


_MOUNT_FROM = re.compile(r"(?:^|,)\s*from=")


def _flag_images(ins: Instruction) -> Iterator[tuple[str, Span, str]]:
    """The sources of COPY/ADD ``--from`` and RUN ``--mount=…,from=…``, with spans."""
    if ins.name in ("COPY", "ADD"):
        for flag in ins.flags_named("from"):
            if flag.value is not None and flag.value.text:
                yield flag.value.text, flag.value.span, f"{ins.name} --from"
    elif ins.name == "RUN":
        for flag in ins.flags_named("mount"):
            value = flag.value
            source = flag.options().get("from")
            match = _MOUNT_FROM.search(value.text) if value is not None else None
            if value is None or not source or match is None:
                continue
            span = value.span
            if span.start.line == span.end.line and value.text[match.end() :].startswith(source):
                col = span.start.column + match.end()
                span = Span.of(span.start.line, col, None, col + len(source))
            yield source, span, "RUN --mount from="


def _image_uses(ctx: RuleContext, stage: Stage) -> Iterator[tuple[_ImageUse, str | None]]:
    """The image references of ``stage`` that are not its parent stage: FROM, --from and
    mount sources, each with the name that makes it a stage if an earlier one has it."""
    image = stage.image
    if image is not None and ctx.graph.parent(stage) is None:
        resolved = expand(image.text, global_args(ctx), ctx.document.escape)
        yield _ImageUse(image.text, resolved, image, image.span, "FROM"), resolved or None
    for ins in ctx.effective(stage):
        for text, span, what in _flag_images(ins):
            resolved = resolve(ctx, text, ins)
            ref = parse_image_ref(text, _span_of(span, text))
            yield _ImageUse(text, resolved, ref, span, what), text if resolved is None else resolved


def _external(doc: Dockerfile, stage: Stage, use: _ImageUse, name: str | None) -> bool:
    """Whether ``use`` pulls an image: its name is no stage before ``stage`` (nor, for
    --from and mounts, a stage index)."""
    target = doc.stage_named(name) if name else None
    if use.what == "FROM":
        return target is None or target.index >= stage.index
    return not (name or "").isdigit() and (target is None or target.index >= stage.index)


def _span_of(span: Span, text: str) -> SpanOf:
    """Spans for offsets into ``text``, written at ``span`` (when it sits there verbatim)."""
    if span.start.line != span.end.line or span.end.column - span.start.column != len(text):
        return lambda start, end: span
    line, col = span.start.line, span.start.column
    return lambda start, end: Span.of(line, col + start, None, col + end)


def _nowhere(start: int, end: int) -> Span:
    """Spans for a reference that exists only after expansion (they are not used)."""
    return Span.of(0, 0)


def _defining_arg(doc: Dockerfile, written: str) -> Related | None:
    """The global ARG whose default a FROM reference uses, for ``related``."""
    names = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", written))
    for ins in reversed(doc.global_args):
        for pair in ins.pairs:
            if pair.key.text in names and pair.value is not None:
                return Related(pair.span, f"the default of ARG {pair.key.text}")
    return None


@rule(
    "DKL402",
    "unpinned-image-tag",
    Category.CORRECTNESS,
    Severity.WARNING,
    summary="An external image is used without a tag or with :latest.",
    docs=RuleDocs(
        what="An image pulled from a registry with no tag and no digest, or with the tag "
        "`latest`: in FROM (also through an ARG default), in `COPY --from=<image>` and in "
        "`RUN --mount=from=<image>`. `scratch`, references to earlier stages and "
        "digest-pinned images are fine; floating but versioned tags such as `node:lts`, "
        "`nginx:alpine` or `golang:1-alpine` are not flagged.",
        why="No tag means `latest`, which moves whenever the publisher pushes: the same "
        "Dockerfile builds a different image next week, a new major version can break the "
        "build or the app, and the layer cache is invalidated on every new pull. A pinned "
        "tag makes the base a deliberate choice and its upgrades reviewable.",
        example="FROM python\nCOPY --from=composer /usr/bin/composer /usr/bin/composer",
        instead="FROM python:3.12-slim\n"
        "COPY --from=composer:2.8 /usr/bin/composer /usr/bin/composer",
        fix_safety="No automatic fix: which version to pin is the version you test with. "
        "Pin a tag (and, for full reproducibility, a digest: `image:tag@sha256:…`).",
        references=(
            DOCKERFILE_REFERENCE + "#from",
            BEST_PRACTICES + "#pin-base-image-versions",
            HADOLINT_WIKI + "DL3006",
            HADOLINT_WIKI + "DL3007",
        ),
    ),
    hadolint=("DL3006", "DL3007"),
)
def unpinned_image_tag(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.document
    # The per-stage work is kept; whether a name is a stage is not.
    for stage, uses in zip(doc.stages, ctx.kept_each(_unpinned), strict=True):
        for use, name, hit in uses:
            if _external(doc, stage, use, name):
                yield hit


def _unpinned(ctx: RuleContext, stage: Stage) -> list[tuple[_ImageUse, str | None, Hit]]:
    found: list[tuple[_ImageUse, str | None, Hit]] = []
    doc = ctx.document
    for use, name in _image_uses(ctx, stage):
        if use.resolved is None:
            continue  # depends on a value only known at build time
        resolved = parse_image_ref(use.resolved, _nowhere)
        if resolved.digest is not None or not resolved.repository.text:
            continue
        if resolved.registry is None and resolved.repository.text.lower() == "scratch":
            continue
        tag = resolved.tag.text if resolved.tag is not None else None
        if tag not in (None, "latest"):
            continue
        dynamic = "$" in use.written
        if tag == "latest" and use.ref.tag is not None:
            span = use.ref.tag.span
        elif not dynamic:
            span = use.ref.repository.span
        else:
            span = use.span
        shown = f"'{use.written}'" + (f" (= '{use.resolved}')" if dynamic else "")
        problem = "uses the tag 'latest'" if tag == "latest" else "has no tag, so it means 'latest'"
        related = _defining_arg(doc, use.written) if dynamic else None
        hit = Hit(
            span,
            f"{use.what} image {shown} {problem}: the build changes whenever a new image is "
            "pushed. Pin a version tag (or a digest).",
            related=(related,) if related is not None else (),
        )
        found.append((use, name, hit))
    return found
