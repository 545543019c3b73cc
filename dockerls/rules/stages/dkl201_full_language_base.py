"""DKL201 full-language-base: The final image is built on a full language or SDK image."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, Related, TextEdit
from dockerls.knowledge.images import Alternative, ImageInfo, Size, alternatives
from dockerls.rules.build_state import steps
from dockerls.rules.doc_links import BEST_PRACTICES
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import from_span
from dockerls.rules.stages.build_commands import build_of
from dockerls.rules.stages.run_commands import step_runs
from dockerls.rules.stages.stage_parts import image_token_span, shipping_stages
from dockerls.syntax import Severity, Span, Stage
from dockerls.wording import megabytes


def _size_text(size: Size | None, kind: str) -> str:
    """`` ~234 MB`` (the kind named when it differs from the one compared against)."""
    if size is None:
        return ""
    if size.mb == 0:
        return " (empty)"
    return f" ~{megabytes(size.mb)} MB" + ("" if size.kind == kind else f" {size.kind}")


def reference_edit(root: Stage, info: ImageInfo, reference: str) -> TextEdit | None:
    """Replace the FROM image of ``root`` by ``reference``, keeping ARGs where possible."""
    ref = root.image
    if ref is None:
        return None
    if ref.text == root.resolved_image:
        return TextEdit(ref.span, reference)
    # ``node:${VERSION}`` resolved to ``node:20``: keep the variable, add the suffix.
    written = f"{info.name}:{info.tag}" if info.tag else None
    if ref.tag is None or ref.digest is not None or written is None:
        return None
    if not reference.startswith(written) or reference == written:
        return None
    return TextEdit(Span(ref.tag.span.end, ref.tag.span.end), reference[len(written) :])


def _usable(alt: Alternative, info: ImageInfo, needs_shell: bool, builds: bool) -> bool:
    """Whether switching to ``alt`` can work for what the shipping stages do.

    Stages that RUN commands (or use a shell-form CMD) need a shell; stages that
    build need the same family's tooling, not another family's runtime image.
    """
    if alt.info is None:
        return not needs_shell and not builds
    if needs_shell and alt.info.shell is False:
        return False
    return not builds or alt.info.family == info.family


def _switch_fixes(
    ctx: RuleContext, root: Stage, info: ImageInfo, alts: list[Alternative]
) -> Iterator[Fix]:
    needs_shell = builds = False
    package_json = ctx.build_context.package_json
    for stage in shipping_stages(ctx):
        for step in steps(ctx, stage):
            ins = step.ins
            needs_shell = (
                needs_shell
                or ins.name == "RUN"
                or (ins.name in ("CMD", "ENTRYPOINT") and ins.is_shell_form)
            )
            builds = builds or any(build_of(r, package_json) for r in step_runs(ctx, step))
    for alt in alts:
        edit = reference_edit(root, info, alt.reference)
        if edit is not None and _usable(alt, info, needs_shell, builds):
            caveat = alt.caveat.rstrip(".")
            caveat = caveat[:1].lower() + caveat[1:]
            yield Fix(f"Switch base to {alt.reference} ({caveat})", (edit,), safe=False)


@rule(
    "DKL201",
    "full-language-base",
    Category.BLOAT,
    Severity.WARNING,
    summary="The final image is built on a full language or SDK image.",
    docs=RuleDocs(
        what="The final stage (through its FROM chain) starts from the default, full tag of "
        "a language or SDK image: `node:20`, `python:3.12`, `ruby:3`, `golang:1.22`, "
        "`maven`, `gradle`, `rust`, a JDK such as `eclipse-temurin:17` or `openjdk`, the "
        ".NET SDK. Slim, Alpine, JRE, runtime and distroless tags are not flagged, nor are "
        "build stages whose files are copied out.",
        why="The default tags are built on buildpack-deps: Debian plus compilers, `-dev` "
        "headers, git, mercurial and subversion. `node:24` is ~439 MB compressed / ~1.23 GB "
        "on disk, `node:24-slim` ~85 MB / ~234 MB, `node:24-alpine` ~58 MB / ~171 MB; "
        "`python:3.12` is ~1.11 GB on disk against ~119 MB for `python:3.12-slim` "
        "(linux/amd64, docker-library/repo-info, 2026-Q3). About three quarters of a full "
        "Node image is build tooling the application never runs; it is pulled on every "
        "deploy and scanned for vulnerabilities.",
        example="FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
        'CMD ["node", "server.js"]',
        instead="FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
        'CMD ["node", "server.js"]',
        fix_safety="One quick fix per smaller variant the knowledge base knows (slim, "
        "Alpine, JRE, distroless…), keeping the version written in the tag (and an ARG in "
        "it, when the variant only adds a suffix). None is applied by fix-all: slim images "
        "lack compilers (native modules must be built in an earlier stage), Alpine uses "
        "musl libc, distroless has no shell. Each fix title says what changes. Variants "
        "that cannot run what the image does are not offered: no shell-less image when it "
        "RUNs commands or has a shell-form CMD, no other family's runtime when it builds.",
        references=(
            "https://github.com/docker-library/docs/blob/master/node/README.md#image-variants",
            "https://github.com/docker-library/docs/blob/master/python/README.md#image-variants",
            BEST_PRACTICES,
        ),
    ),
)
def full_language_base(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    if final is None:
        return
    info = ctx.image(final)
    root = ctx.graph.root(final)
    span = image_token_span(root)
    if info is None or not info.is_full_language_base or span is None:
        return
    size = info.size("uncompressed") or info.size("compressed")
    kind = size.kind if size is not None else "uncompressed"
    alts = alternatives(info)
    smaller = ", ".join(
        f"`{a.reference}`{_size_text(a.size(kind) or a.size(), kind)}" for a in alts
    )
    message = (
        f"`{info.reference}` is a full base image: {info.variant_label}"
        + (f", {size.describe()}" if size is not None else "")
        + ". Compilers, headers and tools the application does not run ship with it"
        + (f"; smaller: {smaller}." if smaller else ".")
    )
    related: tuple[Related, ...] = ()
    if root is not final:
        related = (Related(from_span(final), "the final stage is built FROM it"),)
    yield Hit(span, message, tuple(_switch_fixes(ctx, root, info, alts)), related)
