"""Layer-cache order and build context: what makes rebuilds slow or sends too much.

DKL301-DKL304 are about the build cache: a layer is reused only while its
instruction, its inputs and every layer before it are unchanged. They look at
every stage (a builder stage rebuilt for nothing is as slow as a shipping one),
and at ONBUILD triggers, which run in the child image's build. A stage built
``FROM`` another stage continues its parent's layers, so the order checks walk
the FROM chain: the parent's instructions, then the parent's ONBUILD triggers
(BuildKit runs them when a stage of the same file builds on it), then the
stage's own.

DKL351-DKL352 look at the build context next to the Dockerfile
(``ctx.build_context``). With no context (an unsaved buffer) they say nothing:
they never guess about files they cannot see. ONBUILD triggers are left out
there, since they copy from the child build's context, not this one.

``find_source_before_install``, ``directories_sent`` and ``dockerignore_entries``
are public: the code-action layer reuses them (the copy-manifests-first
refactoring, creating a ``.dockerignore``). Which commands install dependencies,
and where package managers keep their downloads, is ``managers``' knowledge.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.dockerignore import DockerIgnore, go_clean
from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.common import (
    Step,
    cache_targets,
    context_sources,
    is_root,
    line_no,
    newline,
    open_at_end,
    operands,
    program,
    step_of,
    steps,
    unwrap,
    whole_lines,
)
from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.managers import (
    MANAGERS,
    DependencyStep,
    Manager,
    dependency_step,
    manager,
    shown,
)
from dockerls.shell import Command, Word
from dockerls.syntax import Instruction, Position, Severity, Span, Stage, Token
from dockerls.syntax.variables import references, scan

_OPTIMIZE = "https://docs.docker.com/build/cache/optimize/"
_INVALIDATION = "https://docs.docker.com/build/cache/invalidation/"
_BEST_PRACTICES = "https://docs.docker.com/build/building/best-practices/"
_REFERENCE = "https://docs.docker.com/reference/dockerfile/"
_CONTEXT = "https://docs.docker.com/build/concepts/context/"

# --------------------------------------------------------------------------- sequences


def _regular(stage: Stage) -> tuple[Instruction, ...]:
    return tuple(i for i in stage.instructions if i.name != "ONBUILD")


def _triggers(stage: Stage) -> tuple[Instruction, ...]:
    return tuple(
        i.trigger for i in stage.instructions if i.name == "ONBUILD" and i.trigger is not None
    )


def _sequences(ctx: RuleContext, stage: Stage) -> tuple[tuple[Instruction, ...], ...]:
    """The instruction orders that build layers on top of one another for ``stage``.

    The first is what this build runs for the stage (its FROM chain included);
    the second is the stage's ONBUILD triggers, which run in a later build.
    """
    chain = ctx.graph.chain(stage)
    built: list[Instruction] = []
    for i, member in enumerate(chain):
        if i:
            built.extend(_triggers(chain[i - 1]))
        built.extend(_regular(member))
    return tuple(built), _triggers(stage)


def _own_sequences(stage: Stage) -> tuple[tuple[Instruction, ...], ...]:
    return _regular(stage), _triggers(stage)


def _owners(ctx: RuleContext) -> dict[int, Instruction]:
    """The top-level instruction that holds each instruction (ONBUILD for its trigger)."""
    found: dict[int, Instruction] = {}
    for ins in ctx.document.instructions:
        found[id(ins)] = ins
        if ins.trigger is not None:
            found[id(ins.trigger)] = ins
    return found


def _commands(ctx: RuleContext, ins: Instruction) -> tuple[Command, ...]:
    return ctx.script(ins).commands if ins.name == "RUN" else ()


def _text(ctx: RuleContext, span: Span) -> str | None:
    """The source text of a one-line span."""
    if span.start.line != span.end.line or span.start.line >= len(ctx.document.lines):
        return None
    return ctx.document.lines[span.start.line][span.start.column : span.end.column]


# --------------------------------------------------------------------------- dependency steps


def dependency_steps(ctx: RuleContext, ins: Instruction) -> list[DependencyStep]:
    """The dependency steps of a RUN, in order."""
    found = []
    for cmd in _commands(ctx, ins):
        step = dependency_step(cmd)
        if step is not None:
            found.append(step)
    return found


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


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- COPY sources

# Directory names that hold a project's own code: copying one before an install that
# needs only manifests busts its cache. (Other directories are often install inputs:
# workspace packages, patches, postinstall scripts, vendored C sources.)
_SOURCE_DIRECTORIES = frozenset(
    {"src", "source", "sources", "app", "apps", "lib", "libs", "cmd", "internal", "pkg"}
    | {"test", "tests", "spec", "specs", "frontend", "backend", "web", "api", "client"}
)
# Extensionless names in lower case that are files (``LICENSE``, ``Gemfile`` start upper).
_EXTENSIONLESS_FILES = frozenset({"gradlew", "mvnw", "makefile", "justfile", "rakefile"})
# Directories that configure the build or hold dependencies, not code: resolving needs
# them (the Gradle wrapper and version catalog, buildSrc, Maven's and Cargo's settings,
# vendored modules, a local NuGet feed).
_BUILD_INPUT_DIRECTORIES = frozenset(
    {"gradle", "buildsrc", "build-logic", ".mvn", ".cargo", ".config", "vendor", "packages"}
    | {"nuget", ".nuget", "requirements"}
)
# ``COPY *.java ./``: a glob of code files, by extension (in lower case).
_CODE_GLOB = re.compile(r"\*\.([a-z0-9+]+)")
_CODE_EXTENSIONS = frozenset(
    {"java", "kt", "scala", "go", "rs", "c", "cc", "cpp", "h", "hpp", "cs", "fs", "vb"}
    | {"py", "rb", "php", "swift", "ex", "exs", "clj", "js", "ts", "jsx", "tsx", "mjs", "cjs"}
)
_SCRIPT_EXTENSIONS = frozenset({"js", "ts", "mjs", "cjs"})
# Installs of the project itself, and the option that resolves its dependencies alone
# (and those that already make it do so).
_PROJECT_INSTALL_OPTIONS: dict[PackageManager, tuple[str, tuple[str, ...]]] = {
    PackageManager.POETRY: ("--no-root", ("--no-root", "--only-root")),
    PackageManager.UV: ("--no-install-project", ("--no-install-project", "--no-install-workspace")),
}


def _context_path(text: str) -> str:
    """A source as a context-relative path: ``./`` and ``/`` are ``.``."""
    return go_clean(text).lstrip("/") or "."


def _is_whole_context(token: Token) -> bool:
    return "$" not in token.text and _context_path(token.text) in (".", "*")


def _is_directory(ctx: RuleContext, token: Token) -> bool:
    """Whether a plain COPY source names a directory (the context knows, else its spelling)."""
    text = token.text
    path = _context_path(text)
    if "$" in text or path.startswith("..") or any(ch in path for ch in "*?["):
        return False
    known = ctx.build_context.has_directory(path)
    if known is not None:
        return known
    last = path.rsplit("/", 1)[-1]
    if text.endswith("/"):
        return True
    return "." not in last and not last[0].isupper() and last not in _EXTENSIONLESS_FILES


def project_install_option(step: DependencyStep) -> str | None:
    """For a step that installs the project along with its dependencies (``poetry
    install``, ``uv sync``), the option that installs the dependencies alone."""
    found = _PROJECT_INSTALL_OPTIONS.get(step.manager)
    first = next(iter(step.command.positionals()), None)
    if found is None or first is not step.word or step.word.text not in ("install", "sync"):
        return None
    option, already = found
    words = {w.text.split("=", 1)[0] for w in step.command.args}
    return None if words & set(already) else option


class SourceKind(enum.Enum):
    CONTEXT = "the whole build context"  # ``COPY . .``
    PROJECT = "project directory"  # ``COPY ./frontend .``: a directory onto the working root
    SOURCES = "source directory"  # ``COPY src ./src``: a name that holds code
    DIRECTORY = "directory"  # ``COPY crates crates``: code, for a build
    FILES = "source files"  # ``COPY *.java ./``

    @property
    def whole(self) -> bool:
        """Whether the copy brings the whole project, not a part of its sources."""
        return self in (SourceKind.CONTEXT, SourceKind.PROJECT)

    def busts(self, step: DependencyStep) -> bool:
        """Whether copying this before ``step`` makes every source change re-run it.

        The whole project always does. A part of the sources is input to a local
        install (``pip install .``). Any other directory counts before a build that
        resolves the dependencies on the way (``cargo build``, ``mvn package``) or an
        install of the project that could resolve them alone first (``poetry install``
        without ``--no-root``): other installs often need directories (workspace
        packages, patches, install scripts).
        """
        if self.whole:
            return True
        if step.local:
            return False
        if self is SourceKind.DIRECTORY:
            return step.implicit or project_install_option(step) is not None
        return True


def _source_kind(
    ctx: RuleContext, ins: Instruction, token: Token, workdir: str
) -> SourceKind | None:
    if _is_whole_context(token):
        return SourceKind.CONTEXT
    if _code_glob(token) is not None:
        return SourceKind.FILES
    if not _is_directory(ctx, token):
        return None
    dest = operands(ins)[-1].text
    if go_clean(dest) == "." or (dest.startswith("/") and go_clean(dest) == workdir):
        return SourceKind.PROJECT
    last = _context_path(token.text).rsplit("/", 1)[-1].lower()
    if last in _SOURCE_DIRECTORIES:
        return SourceKind.SOURCES
    inside = not dest.startswith("/") or go_clean(dest).startswith(workdir.rstrip("/") + "/")
    return SourceKind.DIRECTORY if inside and last not in _BUILD_INPUT_DIRECTORIES else None


def _code_glob(token: Token) -> str | None:
    """The extension of a glob of code files (``*.java``, ``src/**/*.go``), if it is one."""
    if "$" in token.text:
        return None
    found = _CODE_GLOB.fullmatch(token.text.rsplit("/", 1)[-1].lower())
    return found.group(1) if found is not None and found.group(1) in _CODE_EXTENSIONS else None


def _counts(kind: SourceKind, token: Token, step: DependencyStep) -> bool:
    """Whether a source copy of ``kind`` before ``step`` busts its cache (a glob of
    JavaScript files may be the install scripts a Node install runs)."""
    if kind is SourceKind.FILES and step.manager in _NODE:
        return _code_glob(token) not in _SCRIPT_EXTENSIONS
    return kind.busts(step)


def _whole_context_copies(ctx: RuleContext) -> Iterator[tuple[Instruction, Token]]:
    """``COPY .``/``ADD .`` sources of this build (ONBUILD triggers excluded), in order."""
    for stage in ctx.document.stages:
        for ins in _regular(stage):
            for token in context_sources(ins):
                if _is_whole_context(token):
                    yield ins, token


# --------------------------------------------------------------------------- DKL301


@dataclass(frozen=True, slots=True)
class SourceBeforeInstall:
    """A COPY of project sources that comes before a dependency step of the same layers."""

    copy: Instruction  # the COPY or ADD (the trigger itself for ONBUILD)
    source: Token  # the source that busts the cache: ``.``, ``src/``
    kind: SourceKind
    install: Instruction  # the RUN (the trigger itself for ONBUILD)
    step: DependencyStep


def find_source_before_install(ctx: RuleContext, stage: Stage) -> list[SourceBeforeInstall]:
    """Source copies that come before a dependency step in ``stage``'s layers.

    A step is fine when a step of the same package manager ran before the first
    source copy (the manifests were copied, or bind-mounted, and installed
    first): later steps, ``go build`` after ``go mod download``, then find the
    dependencies in place. Each package manager is reported at its first step,
    with every source copy before it. A part of the sources (``COPY src ./src``,
    ``COPY *.java ./``, ``COPY crates crates``) counts as ``SourceKind.busts`` says,
    except before a build that is itself the dependency step: its downloads are in a
    cache mount, or the whole project is copied and built again after it (the
    dummy-project pattern: what is copied before it is what resolving needs).
    """
    found: list[SourceBeforeInstall] = []
    for sequence in _sequences(ctx, stage):
        sources: list[tuple[Instruction, Token, SourceKind]] = []
        settled: set[PackageManager] = set()
        for n, ins in enumerate(sequence):
            for token in context_sources(ins):
                kind = _source_kind(ctx, ins, token, step_of(ctx, ins).cwd)
                if kind is not None:
                    sources.append((ins, token, kind))
            for step in dependency_steps(ctx, ins):
                if step.manager in settled:
                    continue
                settled.add(step.manager)
                counted = [s for s in sources if _counts(s[2], s[1], step)]
                if any(not kind.whole for _, _, kind in counted) and _prebuild(
                    ctx, sequence, n, step
                ):
                    counted = [s for s in counted if s[2].whole]
                found.extend(SourceBeforeInstall(c, t, k, ins, step) for c, t, k in counted)
    return found


def _prebuild(
    ctx: RuleContext, sequence: Sequence[Instruction], at: int, step: DependencyStep
) -> bool:
    """Whether the build ``step`` (at ``sequence[at]``) is the dependency step itself:
    its manager's cache is a cache mount, or the whole project is copied after it."""
    if not step.implicit:
        return False
    targets = cache_targets(sequence[at])
    if any(_under(t, m) for t in targets for m in manager(step.manager).mounts):
        return True
    return any(
        _is_whole_context(token) for ins in sequence[at + 1 :] for token in context_sources(ins)
    )


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
    steps = _join([i.phrase for i in items])
    again = "re-runs it" if len(items) == 1 else "re-runs them"
    unique_files = list(dict.fromkeys(f for i in items for f in i.manifests))
    unique_steps = list(dict.fromkeys(i.first_step for i in items))
    return (
        f"{items[0].head}{steps}: every source change {again}. "
        f"Copy {_join(unique_files)} first, run {_join(unique_steps)}, "
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
        references=(_OPTIMIZE + "#order-your-layers", _INVALIDATION),
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


# --------------------------------------------------------------------------- DKL302


@dataclass(frozen=True, slots=True)
class _Family:
    """Package managers that share an index: its refresh and the commands that use it."""

    programs: frozenset[str]
    refresh: frozenset[str]
    installs: frozenset[str]
    tools: frozenset[str]  # other programs that read the same index


_APT = _Family(
    frozenset({"apt-get", "apt", "aptitude"}),
    frozenset({"update"}),
    frozenset(
        {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall", "source"}
    ),
    frozenset({"apt-cache", "add-apt-repository", "apt-key", "dpkg"}),
)
_APK = _Family(
    frozenset({"apk"}), frozenset({"update"}), frozenset({"add", "upgrade", "fix"}), frozenset()
)
_RPM = _Family(
    frozenset({"yum", "dnf", "microdnf"}),
    frozenset({"makecache"}),
    frozenset({"install", "upgrade", "update", "reinstall", "groupinstall", "localinstall"}),
    frozenset({"rpm", "yum-config-manager"}),
)
_FAMILIES = (_APT, _APK, _RPM)


def _index_word(cmd: Command, family: _Family, words: frozenset[str]) -> Word | None:
    """The subcommand word when ``cmd`` is a ``family`` command whose subcommand is in ``words``."""
    if cmd.name not in family.programs:
        return None
    sub = cmd.subcommand()
    if sub is None or sub.text not in words:
        return None
    return sub


def _uses_cached_index(cmd: Command, family: _Family) -> bool:
    """An install that reads the index from disk (``apk add --no-cache -U`` fetches its own)."""
    fetches_own = cmd.has_option("--no-cache", "--update", "-U", "--update-cache")
    return not (family is _APK and fetches_own)


@dataclass(frozen=True, slots=True)
class _LoneUpdate:
    family: _Family
    run: Instruction
    update: Command
    word: Word
    install_run: Instruction
    install: Command
    install_word: Word
    between: tuple[Instruction, ...]  # instructions between the two RUNs


def _lone_updates(ctx: RuleContext, sequence: Sequence[Instruction]) -> Iterator[_LoneUpdate]:
    for i, ins in enumerate(sequence):
        commands = _commands(ctx, ins)
        for family in _FAMILIES:
            refreshes = [(c, w) for c in commands if (w := _index_word(c, family, family.refresh))]
            if not refreshes or any(_index_word(c, family, family.installs) for c in commands):
                continue
            found = _next_install(ctx, sequence, i + 1, family)
            if found is not None:
                j, install, install_word = found
                update, word = refreshes[0]
                between = tuple(sequence[i + 1 : j])
                yield _LoneUpdate(
                    family, ins, update, word, sequence[j], install, install_word, between
                )


def _next_install(
    ctx: RuleContext, sequence: Sequence[Instruction], start: int, family: _Family
) -> tuple[int, Command, Word] | None:
    """The first later RUN that installs with ``family`` without refreshing the index itself."""
    for j in range(start, len(sequence)):
        commands = _commands(ctx, sequence[j])
        for cmd in commands:
            if _index_word(cmd, family, family.refresh) is not None:
                return None
            word = _index_word(cmd, family, family.installs)
            if word is not None:
                return (j, cmd, word) if _uses_cached_index(cmd, family) else None
    return None


_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})
_SAFE_CONNECTORS = (None, "&&", ";", "\n")


def _merge_fix(ctx: RuleContext, found: _LoneUpdate, same_stage: bool) -> Fix | None:
    """Remove the lone update RUN and run the update at the start of the install command."""
    run, install, family = found.run, found.install, found.family
    if not same_stage or run.flags or run.exec_form is not None or run.heredocs:
        return None
    if len(_commands(ctx, run)) != 1:
        return None
    update_text = _text(ctx, found.update.span)
    if update_text is None or any(q in update_text for q in "'\"`"):
        return None
    if (
        found.install_run.exec_form is not None
        or install.connector not in _SAFE_CONNECTORS
        or "sh" in install.wrappers
        or install.in_substitution
    ):
        return None
    for between in found.between:
        for cmd in _commands(ctx, between):
            name = cmd.name
            if (
                name in family.programs
                or name in family.tools
                or name in _SHELLS
                or name.endswith(".sh")
            ):
                return None
    owner = _owners(ctx).get(id(run), run)
    edits = (
        TextEdit(whole_lines(ctx.document, owner), ""),
        TextEdit(Span(install.span.start, install.span.start), f"{update_text} && "),
    )
    return Fix(f"Run `{update_text}` in the same RUN as the install", edits)


@rule(
    "DKL302",
    "apt-update-in-separate-layer",
    Category.CACHE,
    Severity.WARNING,
    summary="The package index is refreshed in one RUN and used by an install in a later one.",
    docs=RuleDocs(
        what="`apt-get update` (or `apk update`, `yum`/`dnf makecache`) in a RUN that installs "
        "nothing, followed by a later RUN of the same stage that installs packages without "
        "refreshing the index itself.",
        why="The update layer is cached like any other. When the install line changes (a "
        "package added), the builder reuses the old update layer and installs from an index "
        "that may be weeks old: outdated versions, or 404 errors for packages the mirror has "
        "since replaced. Refreshing and installing in one RUN keeps them in step.",
        example="FROM debian:bookworm-slim\nRUN apt-get update\n"
        "RUN apt-get install -y --no-install-recommends curl",
        instead="FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
        fix_safety="The fix removes the lone update RUN and starts the install command with "
        "the same update (`apt-get update && apt-get install ...`), keeping the rest of the "
        "line as written. It is offered only when both RUNs are in the same stage, the update "
        "RUN holds nothing else, and no RUN in between uses the package manager, runs a shell "
        "script or could otherwise depend on the refreshed index.",
        references=(_BEST_PRACTICES + "#apt-get",),
    ),
)
def apt_update_in_separate_layer(ctx: RuleContext) -> Iterator[Hit]:
    seen: set[Position] = set()  # an update a child stage's layers repeat is reported once
    for hits in ctx.kept_each(_apt_update_hits):
        for hit in hits:
            if hit.span.start not in seen:
                seen.add(hit.span.start)
                yield hit


def _apt_update_hits(ctx: RuleContext, stage: Stage) -> list[Hit]:
    hits: list[Hit] = []
    own = {id(i) for seq in _own_sequences(stage) for i in seq}
    for sequence in _sequences(ctx, stage):
        for found in _lone_updates(ctx, sequence):
            same_stage = id(found.run) in own and id(found.install_run) in own
            fix = _merge_fix(ctx, found, same_stage)
            update = shown(found.update, found.word)
            install = shown(found.install, found.install_word)
            hits.append(
                Hit(
                    found.word.span,
                    f"`{update}` runs alone in this RUN, and `{install}` on line "
                    f"{line_no(found.install_word.span)} uses the index it leaves in the layer. "
                    "That layer stays cached: when the install line changes, it installs from a "
                    "stale index (outdated versions, or 404s for packages the mirror has "
                    "replaced). Refresh the index in the same RUN as the install.",
                    fixes=() if fix is None else (fix,),
                    related=(
                        Related(
                            found.install_word.span,
                            f"installs from the index cached by `{update}` on line "
                            f"{line_no(found.word.span)}",
                        ),
                    ),
                )
            )
    return hits


# --------------------------------------------------------------------------- DKL303

_NOT_VOLATILE = frozenset({"SOURCE_DATE_EPOCH", "CACHEBUST", "CACHE_BUST", "CACHEBUSTER"})
_TIME_TOKENS = frozenset({"DATE", "TIMESTAMP", "DATETIME", "BUILDDATE", "BUILDTIME"})
_COMMIT_TOKENS = frozenset({"COMMIT", "REVISION", "GITSHA", "COMMITSHA"})
_SHA_PARTNERS = frozenset(
    {"GIT", "COMMIT", "SOURCE", "VCS", "SHORT", "GITHUB", "CI", "BUILD", "HEAD"}
)
_BUILD_ID_PAIRS = (
    ("BUILD", "NUMBER"),
    ("BUILD", "ID"),
    ("BUILD", "NUM"),
    ("PIPELINE", "ID"),
    ("RUN", "ID"),
    ("RUN", "NUMBER"),
    ("JOB", "ID"),
)


def volatile_kind(name: str) -> str | None:
    """What an ARG named ``name`` usually carries when it changes on every build, or None.

    Deliberate cache busters (``CACHEBUST``) and ``SOURCE_DATE_EPOCH`` (set for
    reproducible builds, stable per commit) are left alone, and so is a plain
    ``VERSION``: it changes per release, not per build.
    """
    upper = name.upper()
    if upper in _NOT_VOLATILE:
        return None
    tokens = {t for t in re.split(r"[_\-]+", upper) if t}
    if tokens & _TIME_TOKENS or tokens == {"TIME"} or {"BUILD", "TIME"} <= tokens:
        return "a timestamp"
    if tokens & _COMMIT_TOKENS or {"VCS", "REF"} <= tokens:
        return "a commit id"
    if "SHA" in tokens and (tokens == {"SHA"} or tokens & _SHA_PARTNERS):
        return "a commit id"
    if any(a in tokens and b in tokens for a, b in _BUILD_ID_PAIRS):
        return "a CI build number"
    return None


_BUILD_PROGRAMS = frozenset(
    {"make", "cmake", "ninja", "meson", "bazel", "gcc", "g++", "cc", "clang", "rustc"}
    | {"javac", "tsc"}
)
_TOOL_INSTALLS = {
    "pip": frozenset({"install"}),
    "npm": frozenset({"install", "i", "ci"}),
    "yarn": frozenset({"add", "global"}),
    "pnpm": frozenset({"add"}),
    "gem": frozenset({"install"}),
    "cargo": frozenset({"install"}),
    "go": frozenset({"install", "get"}),
    "composer": frozenset({"require"}),
    "conda": frozenset({"install", "create"}),
}


def _install_word(cmd: Command) -> Word | None:
    """The word naming a package or dependency install (``install``, ``ci``, ``add``)."""
    step = dependency_step(cmd)
    if step is not None:
        return None if step.implicit else step.word
    for family in _FAMILIES:
        word = _index_word(cmd, family, family.installs)
        if word is not None:
            return word
    cmd = unwrap(cmd)
    sub = cmd.subcommand()
    if sub is not None and sub.text in _TOOL_INSTALLS.get(program(cmd.name), ()):
        return sub
    return None


def _is_build(cmd: Command) -> bool:
    """A compile or bundle step: ``go build``, ``make``, ``npm run build``."""
    step = dependency_step(cmd)
    if step is not None and step.implicit:
        return True
    cmd = unwrap(cmd)
    pos = cmd.positionals()
    name = program(cmd.name)
    if name in _BUILD_PROGRAMS:
        return True
    if not pos or name not in ("npm", "yarn", "pnpm", "bun"):
        return False
    script = pos[1].text if pos[0].text == "run" and len(pos) > 1 else pos[0].text
    return script.startswith("build")


def _install(ctx: RuleContext, ins: Instruction) -> tuple[Command, Word] | None:
    for cmd in _commands(ctx, ins):
        word = _install_word(cmd)
        if word is not None:
            return cmd, word
    return None


def _references(ctx: RuleContext, ins: Instruction, names: set[str]) -> bool:
    """Whether ``ins`` expands one of ``names`` (in flags, arguments or heredoc bodies)."""
    escape = ctx.document.escape
    if any(ref.name in names for ref in references(ins, escape)):
        return True
    return any(r.name in names for h in ins.heredocs for r in scan(h.body.text, escape))


@dataclass(frozen=True, slots=True)
class _VolatileArg:
    index: int  # of the ARG in the sequence
    key: Token
    kind: str
    installs: tuple[tuple[int, Command, Word], ...]  # later installs that do not use it
    first_use: int | None  # the first instruction that expands it (ENV/ARG aside)
    movable: bool  # only this ARG needs to move (no ENV or ARG carries its value on)


def _volatile_args(ctx: RuleContext, sequence: Sequence[Instruction]) -> Iterator[_VolatileArg]:
    """Volatile ARGs followed by installs that do not use them.

    Builds (``go build``, ``make``) are not counted: they often read a commit id
    or a date from the environment to stamp the binary, which the Dockerfile
    cannot show.
    """
    for i, ins in enumerate(sequence):
        if ins.name != "ARG":
            continue
        for pair in ins.pairs:
            kind = volatile_kind(pair.key.text)
            if kind is None:
                continue
            names = {pair.key.text}
            movable = len(ins.pairs) == 1
            installs: list[tuple[int, Command, Word]] = []
            first_use: int | None = None
            for j in range(i + 1, len(sequence)):
                later = sequence[j]
                if _references(ctx, later, names):
                    if later.name in ("ENV", "ARG"):
                        names.update(p.key.text for p in later.pairs)
                        movable = False
                    elif first_use is None:
                        first_use = j
                    continue
                found = _install(ctx, later)
                if found is not None:
                    installs.append((j, *found))
            if installs:
                yield _VolatileArg(i, pair.key, kind, tuple(installs), first_use, movable)


def _may_read_environment(ctx: RuleContext, ins: Instruction) -> bool:
    """A RUN that builds or runs a script, which may read a variable it does not name."""
    return any(
        _is_build(cmd) or cmd.name in _SHELLS or cmd.name.endswith(".sh")
        for cmd in _commands(ctx, ins)
    )


def _move_fix(ctx: RuleContext, found: _VolatileArg, sequence: Sequence[Instruction]) -> Fix | None:
    """Move the ARG to just before its first use, or below the last install that skips it.

    Only for an ARG of the stage itself (not an ONBUILD trigger) that declares
    nothing else, whose value no ENV or ARG passes on, and when no RUN it would
    move past builds or runs a script.
    """
    arg = sequence[found.index]
    owners = _owners(ctx)
    last = found.installs[-1][0]
    if not found.movable or owners.get(id(arg)) is not arg:
        return None
    if found.first_use is not None and last > found.first_use:
        return None
    end = found.first_use if found.first_use is not None else last + 1
    if any(_may_read_environment(ctx, i) for i in sequence[found.index + 1 : end]):
        return None
    lines = ctx.document.lines
    nl = newline(ctx.document)
    text = nl.join(lines[arg.start_line : arg.end_line + 1])
    if found.first_use is not None:
        target = owners.get(id(sequence[found.first_use]), sequence[found.first_use])
        at = Position(target.start_line, 0)
        insert = text + nl
        where = f"just before its first use on line {target.start_line + 1}"
    else:
        after = owners.get(id(sequence[last]), sequence[last])
        if open_at_end(ctx.document, after):
            return None  # an unterminated heredoc or continuation would swallow the ARG
        if after.end_line + 1 < len(lines):
            at = Position(after.end_line + 1, 0)
            insert = text + nl
        else:
            at = Position(after.end_line, len(lines[after.end_line]))
            insert = nl + text
        where = f"below the installs (after line {after.end_line + 1})"
    return Fix(
        f"Move ARG {found.key.text} {where}; the RUNs it passes no longer see it",
        (TextEdit(whole_lines(ctx.document, arg), ""), TextEdit(Span(at, at), insert)),
        safe=False,
    )


@rule(
    "DKL303",
    "volatile-argument-before-expensive-layer",
    Category.CACHE,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="An ARG that changes on every build is declared before expensive RUNs.",
    docs=RuleDocs(
        what="An ARG whose value changes on every build (a build date, a commit id, a CI "
        "build number: `BUILD_DATE`, `GIT_SHA`, `VCS_REF`, `BUILD_NUMBER`, ...) declared in a "
        "stage before a RUN that installs system packages or dependencies and does not use "
        "it. Builds (`go build`, `make`, `npm run build`) are not counted: they often stamp "
        "the commit id or date they read from the environment into the binary.",
        why="BuildKit passes every ARG declared in a stage to each later RUN of that stage as "
        "an environment variable, whether the command mentions it or not. A new value is a "
        "new command environment, so the first RUN after the declaration misses the cache, "
        "and with it every layer after: a build that only changed the commit id reinstalls "
        "every package. (A global ARG before FROM does not do this until the stage declares "
        "it again.) `CACHEBUST`, `SOURCE_DATE_EPOCH` and a plain `VERSION` are not reported.",
        example="FROM python:3.12-slim\nARG GIT_SHA\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA",
        instead="FROM python:3.12-slim\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nARG GIT_SHA\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA",
        fix_safety="The fix moves the ARG line to just before the first instruction that "
        "uses it, or below the last install when nothing uses it. It is not safe: a script "
        "that reads the variable from its environment without naming it in the Dockerfile "
        "no longer sees it. Not offered when the ARG declares other names, an ENV or ARG "
        "passes its value on, a use comes before an install, or the move would pass a RUN "
        "that builds or runs a script.",
        references=(_REFERENCE + "#impact-on-build-caching", _INVALIDATION),
    ),
)
def volatile_argument_before_expensive_layer(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for sequence in _own_sequences(stage):
            for found in _volatile_args(ctx, sequence):
                _, cmd, word = found.installs[0]
                fix = _move_fix(ctx, found, sequence)
                yield Hit(
                    found.key.span,
                    f"ARG {found.key.text} usually holds {found.kind}, new on every build. "
                    "BuildKit passes it to every later RUN of the stage as an environment "
                    f"variable, so from here on each RUN misses the cache, including "
                    f"`{shown(cmd, word)}` on line {line_no(word.span)}. Declare it after "
                    "the installs, just before its first use.",
                    fixes=() if fix is None else (fix,),
                    related=(Related(word.span, f"re-runs whenever {found.key.text} changes"),),
                )


# --------------------------------------------------------------------------- DKL304


def _cache_user(cmd: Command) -> tuple[Manager, Command, Word] | None:
    """(its manager, the command, its install word) when ``cmd`` downloads packages
    into a cache that a mount could keep."""
    if _index_word(cmd, _APT, frozenset({"install"})) is not None:
        word = cmd.subcommand()
        return (MANAGERS["apt"], cmd, word) if word is not None else None
    if cmd.name == "apk":
        word = cmd.subcommand()
        return (MANAGERS["apk"], cmd, word) if word is not None and word.text == "add" else None
    step = dependency_step(cmd)
    if step is not None and manager(step.manager).mounts:
        return manager(step.manager), step.command, step.word
    unwrapped = unwrap(cmd)
    name = program(unwrapped.name)
    sub = unwrapped.subcommand()
    if sub is not None and name in ("pip", "npm", "go", "cargo") and sub.text == "install":
        return MANAGERS[name], unwrapped, sub
    return None


def _under(path: str, other: str) -> bool:
    a, b = go_clean(path), go_clean(other)
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _mount_text(m: Manager) -> str:
    sharing = ",sharing=locked" if m.locked else ""
    return " ".join(f"--mount=type=cache,target={t}{sharing}" for t in m.mounts)


@rule(
    "DKL304",
    "install-without-cache-mount",
    Category.CACHE,
    Severity.HINT,
    scope=Scope.STAGE,
    summary="A package install could keep its downloads in a BuildKit cache mount.",
    enabled_by_default=False,
    docs=RuleDocs(
        what="A RUN that downloads packages (apt-get install, apk add, pip, npm, Yarn, pnpm, "
        "Bun, uv, Poetry, Go, Cargo, Maven, Gradle, dotnet) without a "
        "`--mount=type=cache` on the package manager's cache directory. Off by default: it "
        "is an opportunity, not a defect. Installs that turn the cache off (`apk add "
        "--no-cache`, `pip --no-cache-dir`, `PIP_NO_CACHE_DIR`, `UV_NO_CACHE`) are left alone.",
        why="When a dependency layer has to be rebuilt, every package is downloaded again. A "
        "cache mount persists the manager's download cache on the builder between builds, so "
        "a rebuild fetches only what changed, and the cache never lands in the image.",
        example="FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci",
        instead="FROM node:22-slim\nCOPY package.json package-lock.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm npm ci",
        fix_safety="The fix adds `--mount=type=cache,target=<dir>` right after RUN, with the "
        "manager's default cache directory for root (apt gets /var/cache/apt and /var/lib/apt "
        "with `sharing=locked`; the official Debian and Ubuntu images also delete downloaded "
        "archives through /etc/apt/apt.conf.d/docker-clean, which has to go for that cache to "
        "fill). It needs BuildKit, and is not offered when the stage runs as another user or "
        "moves the cache with an environment variable.",
        references=(_OPTIMIZE + "#use-cache-mounts", _REFERENCE + "#run---mounttypecache"),
    ),
)
def install_without_cache_mount(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        image = ctx.image(stage)
        linux = image is None or image.os == "linux"  # the mount targets are root's on Linux
        for step in steps(ctx, stage):
            if step.ins.name != "RUN":
                continue
            user = step.scope.user
            if user is None:
                root = image is None or is_root(image.default_user)
            else:
                root = is_root(user.name or "")
            yield from _cache_mount_hits(ctx, step, linux and root)


def _cache_mount_hits(ctx: RuleContext, step: Step, root: bool) -> Iterator[Hit]:
    ins, unknown = step.ins, step.scope.unknown
    script = ctx.script(ins)
    inline = (*script.assignments, *(a for cmd in script.commands for a in cmd.assignments))
    env = {**step.env, **{a.name: a.value.text if a.value else "" for a in inline}}
    moved = {name.upper() for name in (*env, *unknown)}
    reported: set[Manager] = set()
    for cmd in script.commands:
        found = _cache_user(cmd)
        if found is None or found[0] in reported:
            continue
        m, command, word = found
        mounted = any(_under(t, d) for t in cache_targets(ins) for d in m.mounts)
        if mounted or m.cache_off(command, env, unknown):
            continue
        reported.add(m)
        fixes: tuple[Fix, ...] = ()
        if root and not (moved & m.moved_by):
            at = ins.keyword.span.end
            fixes = (
                Fix(
                    f"Add a BuildKit cache mount on {_join(m.mounts)}",
                    (TextEdit(Span(at, at), f" {_mount_text(m)}"),),
                    safe=False,
                ),
            )
        yield Hit(
            word.span,
            f"`{shown(command, word)}` downloads every package again whenever "
            f"this layer is rebuilt. A cache mount on {_join(m.mounts)} keeps the "
            f"{m.label} downloads between builds, outside the image.",
            fixes=fixes,
        )


# --------------------------------------------------------------------------- build context

_NODE = frozenset(
    {PackageManager.NPM, PackageManager.YARN, PackageManager.PNPM, PackageManager.BUN}
)
_PYTHON = frozenset(
    {PackageManager.PIP, PackageManager.POETRY, PackageManager.UV, PackageManager.PIPENV}
)


def _managers(ctx: RuleContext) -> set[PackageManager]:
    """The package managers this Dockerfile installs with (ONBUILD triggers included)."""
    found: set[PackageManager] = set()
    for _, ins in ctx.instructions("RUN"):
        found.update(step.manager for step in dependency_steps(ctx, ins))
    return found


def _builds_output(ctx: RuleContext) -> bool:
    """Whether a RUN builds something (so host ``dist``/``build`` output is stale input)."""
    return any(_is_build(cmd) for _, ins in ctx.instructions("RUN") for cmd in _commands(ctx, ins))


def _named_sources(ctx: RuleContext) -> list[str]:
    """Context paths that a COPY or ADD names explicitly (not the whole context)."""
    names = []
    for stage in ctx.document.stages:
        for ins in (*_regular(stage), *_triggers(stage)):
            for token in context_sources(ins):
                if not _is_whole_context(token) and "$" not in token.text:
                    names.append(_context_path(token.text))
    return names


def _needs_git(ctx: RuleContext) -> bool:
    """Whether a RUN reads the repository (``git describe``, ``git rev-parse``)."""
    return any(
        cmd.name == "git"
        and (sub := cmd.subcommand()) is not None
        and sub.text not in ("clone", "config", "init")
        for _, ins in ctx.instructions("RUN")
        for cmd in _commands(ctx, ins)
    )


def _output_directories(ctx: RuleContext) -> set[str]:
    """Host directories that hold build output the Dockerfile produces itself."""
    managers = _managers(ctx)
    found: set[str] = set()
    if managers & {PackageManager.CARGO, PackageManager.MAVEN}:
        found.add("target")
    if PackageManager.GRADLE in managers:
        found.add("build")
    if _builds_output(ctx):
        found.update(("dist", "build"))
    return found


def _wanted(entry: str, named: Sequence[str]) -> bool:
    """Whether ignoring ``entry`` would hide a path the Dockerfile copies explicitly."""
    ignore = DockerIgnore.parse(entry)
    return any(ignore.is_excluded(path) for path in named)


def dockerignore_entries(ctx: RuleContext) -> list[str]:
    """Lines for a new ``.dockerignore`` that fit this Dockerfile and its context.

    Always the repository, secrets and Docker's own files; then what the
    Dockerfile's package managers rebuild inside the image (``node_modules``,
    virtualenvs, ``target``, ``bin``/``obj``, ``vendor``), and build output it
    produces itself. An entry that would hide a path some COPY names explicitly
    is left out, so the file never breaks the build.
    """
    managers = _managers(ctx)
    entries = [".git", ".env", "Dockerfile*", ".dockerignore", "**/.DS_Store"]
    if managers & _NODE:
        entries += ["**/node_modules", "npm-debug.log*", "yarn-error.log*", ".npm"]
    if managers & _PYTHON:
        entries += [".venv", "**/__pycache__", "**/*.py[cod]", ".pytest_cache", ".mypy_cache"]
        if ctx.build_context.has_directory("venv"):
            entries.append("venv")
    if PackageManager.GRADLE in managers:
        entries.append(".gradle")
    if PackageManager.DOTNET in managers:
        entries += ["**/bin", "**/obj"]
    if PackageManager.BUNDLER in managers:
        entries.append("vendor/bundle")
    if PackageManager.COMPOSER in managers:
        entries.append("vendor")
    entries += sorted(_output_directories(ctx))
    named = _named_sources(ctx)
    if _needs_git(ctx):
        named.append(".git")
    return [e for e in dict.fromkeys(entries) if not _wanted(e, named)]


def _context_hit_target(ctx: RuleContext) -> tuple[Instruction, Token] | None:
    """The first whole-context COPY/ADD of this build, when the context is known."""
    if not ctx.build_context.known:
        return None
    return next(_whole_context_copies(ctx), None)


@rule(
    "DKL351",
    "dockerignore-missing",
    Category.CONTEXT,
    Severity.WARNING,
    summary="The whole build context is copied and there is no .dockerignore.",
    docs=RuleDocs(
        what="A `COPY .` or `ADD .` (the whole build context) when the context has no "
        "`.dockerignore` (nor `<Dockerfile name>.dockerignore`), or only an empty one. Only "
        "reported when the files next to the Dockerfile are known.",
        why="Without an ignore file every file in the directory is sent to the builder and "
        "copied into the image: the `.git` history, host `node_modules` or virtualenvs, local "
        "build output, `.env` files with secrets. The image grows, secrets leak into a layer, "
        "and the COPY layer's cache breaks whenever any of those files changes.",
        example="# no .dockerignore next to this Dockerfile\nFROM node:22-slim\n"
        "WORKDIR /app\nCOPY . .",
        instead="# .dockerignore\n.git\n.env\n**/node_modules\nDockerfile*\n.dockerignore",
        fix_safety="The editor action creates a `.dockerignore` with entries that fit the "
        "Dockerfile (the repository, `.env`, Docker's own files, and what the Dockerfile "
        "rebuilds itself, such as `node_modules` or `target`), leaving out any entry that "
        "would hide a path a COPY names. Creating the file changes what later builds send; "
        "review it before building.",
        references=(_CONTEXT + "#dockerignore-files", _OPTIMIZE + "#keep-the-context-small"),
    ),
)
def dockerignore_missing(ctx: RuleContext) -> Iterator[Hit]:
    found = _context_hit_target(ctx)
    if found is None:
        return
    context = ctx.build_context
    ignore = context.dockerignore
    empty = context.dockerignore_path is not None and ignore is not None and not ignore.patterns
    if context.has_dockerignore() is not False and not empty:
        return
    ins, token = found
    present = list(context.big_directories_sent() or ())
    if context.has_file(".env"):
        present.append(".env")
    detail = f" Here that includes {_join(present)}." if present else ""
    state = "the .dockerignore is empty" if empty else "there is no .dockerignore"
    yield Hit(
        token.span,
        f"`{ins.keyword.text.upper()} {token.text}` copies the whole build context and {state}: "
        "everything next to the Dockerfile (the .git history, host dependency folders, build "
        f"output, .env secrets) goes into the image and into this layer's cache key.{detail}",
    )


_DIRECTORY_COST = {
    "node_modules": "packages installed on the host, whose native modules are built for the "
    "host's OS and libc",
    ".venv": "a host virtualenv whose interpreter links point at the host's Python",
    "venv": "a host virtualenv whose interpreter links point at the host's Python",
    ".git": "the repository history, which changes on every commit and fetch and keeps this "
    "layer from caching",
    "__pycache__": "host bytecode that changes whenever Python runs locally",
    "target": "host build output, often gigabytes, that the Dockerfile rebuilds",
    "dist": "host build output that the Dockerfile rebuilds",
    "build": "host build output that the Dockerfile rebuilds",
}


def directories_sent(ctx: RuleContext) -> tuple[str, ...]:
    """Big host directories that a whole-context COPY sends although the image rebuilds them.

    ``dist``, ``build`` and ``target`` count only when the Dockerfile builds them
    itself, ``.git`` only when no RUN reads the repository, and none that a COPY
    names explicitly. Empty when the context is unknown.
    """
    sent = ctx.build_context.big_directories_sent() or ()
    outputs = _output_directories(ctx)
    named = _named_sources(ctx)
    needs_git = _needs_git(ctx)
    return tuple(
        d
        for d in sent
        if (d not in ("dist", "build", "target") or d in outputs)
        and not (d == ".git" and needs_git)
        and not any(path == d or path.startswith(d + "/") for path in named)
    )


@rule(
    "DKL352",
    "host-directory-sent-to-build",
    Category.CONTEXT,
    Severity.WARNING,
    summary="A whole-context COPY sends a big host directory that .dockerignore does not exclude.",
    docs=RuleDocs(
        what="A `COPY .` or `ADD .` when the build context holds `node_modules`, `.venv`, "
        "`venv`, `.git` or `__pycache__` (or `target`, `dist`, `build` when the Dockerfile "
        "builds them itself) and the `.dockerignore` does not exclude it, by Docker's "
        "matching rules (`**`, and `!` exceptions that re-include). Only reported when the "
        "files next to the Dockerfile are known and a .dockerignore exists (without one, "
        "DKL351 reports).",
        why="These directories are large and belong to the host: a host `node_modules` holds "
        "native modules built for the host's OS and libc (they fail on Alpine's musl or "
        "another architecture) and `npm install` may keep them; a virtualenv points at the "
        "host's interpreter; `.git` changes on every commit, so the COPY layer never caches; "
        "build output is rebuilt in the image anyway. All of it is sent to the builder on "
        "every build and lands in the image.",
        example="# .dockerignore lists only .git, and node_modules/ exists\n"
        "FROM node:22-alpine\nCOPY . .\nRUN npm ci",
        instead="# .dockerignore\n.git\nnode_modules",
        fix_safety="No automatic fix: the edit belongs in .dockerignore (add the directory "
        "names listed in the message).",
        references=(_CONTEXT + "#dockerignore-files", _OPTIMIZE + "#keep-the-context-small"),
    ),
)
def host_directory_sent_to_build(ctx: RuleContext) -> Iterator[Hit]:
    found = _context_hit_target(ctx)
    if found is None or not ctx.build_context.has_dockerignore():
        return
    directories = directories_sent(ctx)
    if not directories:
        return
    ins, token = found
    stage = ctx.document.stage_of(ins)
    image = ctx.image(stage) if stage is not None else None
    costs = []
    for d in directories:
        cost = _DIRECTORY_COST.get(d, "a host directory")
        if d == "node_modules" and image is not None and image.libc == "musl":
            cost += ", while this image uses musl"
        costs.append(f"{d} ({cost})")
    noun = "it" if len(directories) == 1 else "them"
    yield Hit(
        token.span,
        f"`{ins.keyword.text.upper()} {token.text}` sends {_join(costs)} into the image: the "
        f".dockerignore does not exclude {noun}. Add {_join(list(directories))} to it.",
    )


RULES: tuple[Rule, ...] = (
    source_copied_before_dependency_install,
    apt_update_in_separate_layer,
    volatile_argument_before_expensive_layer,
    install_without_cache_mount,
    dockerignore_missing,
    host_directory_sent_to_build,
)
