"""DKL301 source-copied-before-dependency-install: Project sources are copied before the
dependencies are installed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.findings import Related
from dockerls.rules.cache.source_before_install import (
    SourceBeforeInstall,
    SourceKind,
    find_source_before_install,
    project_install_option,
)
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.doc_links import CACHE_INVALIDATION, CACHE_OPTIMIZE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.package_managers import manager
from dockerls.rules.text_layout import line_no
from dockerls.syntax import Position, Severity, Span, Stage
from dockerls.wording import join

# What an implicit step does on the way, and the explicit step to run first instead.
_RESOLVES: dict[PackageManager, tuple[str, str]] = {
    PackageManager.GO: ("downloads the Go modules", "go mod download"),
    PackageManager.CARGO: ("fetches the crates", "cargo fetch"),
    PackageManager.MAVEN: ("resolves the Maven dependencies", "mvn dependency:go-offline"),
    PackageManager.GRADLE: ("resolves the Gradle dependencies", "gradle dependencies"),
    PackageManager.DOTNET: ("restores the NuGet packages", "dotnet restore"),
}

# The files to copy before installing, when neither the command nor the context says.
_DEFAULT_MANIFESTS: dict[PackageManager, tuple[str, ...]] = {
    PackageManager.NPM: ("package.json", "package-lock.json"),
    PackageManager.YARN: ("package.json", "yarn.lock"),
    PackageManager.PNPM: ("package.json", "pnpm-lock.yaml"),
    PackageManager.BUN: ("package.json", "bun.lock"),
    PackageManager.PIP: ("requirements.txt",),
    PackageManager.POETRY: ("pyproject.toml", "poetry.lock"),
    PackageManager.UV: ("pyproject.toml", "uv.lock"),
    PackageManager.PIPENV: ("Pipfile", "Pipfile.lock"),
    PackageManager.GO: ("go.mod", "go.sum"),
    PackageManager.CARGO: ("Cargo.toml", "Cargo.lock"),
    PackageManager.BUNDLER: ("Gemfile", "Gemfile.lock"),
    PackageManager.COMPOSER: ("composer.json", "composer.lock"),
    PackageManager.MAVEN: ("pom.xml",),
    PackageManager.GRADLE: ("settings.gradle", "build.gradle"),
    PackageManager.DOTNET: ("*.csproj",),
}


def manifests_for(ctx: RuleContext, step: DependencyStep) -> tuple[str, ...]:
    """The files to COPY before ``step``: what it names, else what the context holds."""
    if step.files:
        return step.files
    found = ctx.build_context.dependency_files_for(step.manager)
    return found or _DEFAULT_MANIFESTS[step.manager]


def _step_phrase(item: SourceBeforeInstall) -> str:
    step = item.step
    where = f"line {line_no(step.word.span)}"
    if step.implicit and step.manager in _RESOLVES:
        return f"`{step.shown}` on {where}, which {_RESOLVES[step.manager][0]}"
    return f"the {manager(step.manager).label} dependency install `{step.shown}` on {where}"


@dataclass(frozen=True, slots=True)
class _Early:
    """A source copy before a dependency step, as plain data (kept across versions)."""

    source: Span
    step_at: Position
    head: str  # "`COPY .` copies the build context before "
    phrase: str  # the step, as the message names it
    manifests: tuple[str, ...]  # what to copy first for it
    first_step: str  # what to run first
    related: Related

    @staticmethod
    def of(ctx: RuleContext, item: SourceBeforeInstall) -> _Early:
        keyword = item.copy.keyword.text.upper()
        what = item.kind.value
        if item.kind is not SourceKind.CONTEXT:
            what = f"the {item.source.text} {what}"
        step = item.step
        alone = project_install_option(step)
        if step.implicit and step.manager in _RESOLVES:
            first_step = f"`{_RESOLVES[step.manager][1]}`"
        elif alone is not None:
            first_step = f"`{step.shown} {alone}`"
        else:
            first_step = f"`{step.shown}`"
        return _Early(
            item.source.span,
            step.word.span.start,
            f"`{keyword} {item.source.text}` copies {what} before ",
            _step_phrase(item),
            tuple(manifests_for(ctx, step)),
            first_step,
            _related_step(item),
        )


def _early_copies(ctx: RuleContext, stage: Stage) -> list[_Early]:
    return [_Early.of(ctx, item) for item in find_source_before_install(ctx, stage)]


def _copy_all_message(items: Sequence[_Early]) -> str:
    steps = join([i.phrase for i in items])
    again = "re-runs it" if len(items) == 1 else "re-runs them"
    unique_files = list(dict.fromkeys(f for i in items for f in i.manifests))
    unique_steps = list(dict.fromkeys(i.first_step for i in items))
    return (
        f"{items[0].head}{steps}: every source change {again}. "
        f"Copy {join(unique_files)} first, run {join(unique_steps)}, "
        "then copy the rest of the sources."
    )


def _related_step(item: SourceBeforeInstall) -> Related:
    step = item.step
    if step.implicit and step.manager in _RESOLVES:
        text = f"`{step.shown}` {_RESOLVES[step.manager][0]} again on every source change"
    else:
        text = (
            f"this {manager(step.manager).label} dependency install re-runs on every source change"
        )
    return Related(step.word.span, text)


@rule(
    "DKL301",
    "source-copied-before-dependency-install",
    Category.CACHE,
    Severity.WARNING,
    summary="Project sources are copied before the dependencies are installed.",
    docs=RuleDocs(
        what="A COPY or ADD of the whole build context (`COPY . .`), of a source directory "
        "(`COPY src ./src`) or of source files by glob (`COPY *.java build.gradle ./`) that "
        "comes before the step installing the dependencies: npm/Yarn/pnpm/Bun, pip, "
        "Poetry, uv, Pipenv, Go modules, Cargo (`cargo update` and `cargo vendor` too), "
        "Bundler, Composer, Maven, Gradle (`gradle copyDependencies` and the like) or NuGet, "
        "in shell or exec form, including the download that `go build`, `mvn package`, "
        "`gradle build`, `cargo build` and `dotnet build`/`publish` do on their own. Before "
        "such a build, or before `poetry install`/`uv sync` that also install the project, "
        "any directory of code counts (`COPY crates crates`), not those the build resolves "
        "with (`gradle`, `buildSrc`, `.mvn`, `vendor`); not before a build that is itself "
        "the dependency step (its downloads in a cache mount, or the whole project copied "
        "and built again after it). A local install (`pip install .`) needs its sources. "
        "Every stage counts, builder stages included, and so do ONBUILD triggers.",
        why="A layer is reused only while every layer before it is unchanged. Once the sources "
        "are in a layer, any edit to any file invalidates it and everything after it, so the "
        "dependency install (often minutes, and hundreds of megabytes of downloads) runs again "
        "on every build although the manifests did not change. A cache mount on the "
        "install only shortens the downloads; the step still re-runs. Docker's cache guide "
        "uses exactly this example.",
        example="FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build",
        instead="FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        "RUN npm ci\nCOPY . .\nRUN npm run build",
        fix_safety="No quick fix on the finding itself, but the editor offers the "
        '"Copy dependency manifests first" refactoring (a refactor.rewrite code action) '
        "on the source copy: it copies the manifests and lockfiles first (from the build "
        "context when it is known, else from patterns that always match the manifest), "
        "moves the install above the source copy (splitting a RUN at its `&&`), or inserts "
        "a dependency-only download such as `go mod download` when the install is implied "
        "by a build. It is not offered when an instruction in between could depend on the "
        "order, and is marked unsafe when the rewrite may change the build in a way the "
        "Dockerfile does not show (an install script that reads sources, a host "
        "node_modules the later copy would overwrite). By hand: copy the manifests first "
        "(or bind-mount them with "
        "`RUN --mount=type=bind,source=package.json,target=package.json ...`), install, then "
        "copy the rest.",
        references=(CACHE_OPTIMIZE + "#order-your-layers", CACHE_INVALIDATION),
    ),
)
def source_copied_before_dependency_install(ctx: RuleContext) -> Iterator[Hit]:
    grouped: dict[tuple[Position, Position], list[_Early]] = {}
    seen: set[tuple[Position, Position, Position]] = set()
    for items in ctx.kept_each(_early_copies):  # a parent's copy is grouped with its children's
        for item in items:
            key = (item.source.start, item.source.end)
            step_key = (*key, item.step_at)
            if step_key in seen:
                continue
            seen.add(step_key)
            grouped.setdefault(key, []).append(item)
    for items in grouped.values():
        yield Hit(
            items[0].source,
            _copy_all_message(items),
            related=tuple(i.related for i in items),
        )
