"""Project sources copied before a dependency step of the same layers: the finder
behind DKL301, which the copy-manifests-first refactoring (``actions/reorder``)
reuses.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dockerls.context import PackageManager
from dockerls.dockerignore import go_clean
from dockerls.rules.build_state import step_of
from dockerls.rules.cache.cache_mounts import under
from dockerls.rules.cache.context_paths import context_path, is_whole_context
from dockerls.rules.cache.ecosystems import NODE
from dockerls.rules.cache.layer_sequences import sequences
from dockerls.rules.cache.run_commands import dependency_steps
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.rules.instruction_parts import cache_targets, context_sources, operands
from dockerls.rules.package_managers import manager
from dockerls.syntax import Instruction, Stage, Token

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


def _is_directory(ctx: RuleContext, token: Token) -> bool:
    """Whether a plain COPY source names a directory (the context knows, else its spelling)."""
    text = token.text
    path = context_path(text)
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
    if is_whole_context(token):
        return SourceKind.CONTEXT
    if _code_glob(token) is not None:
        return SourceKind.FILES
    if not _is_directory(ctx, token):
        return None
    dest = operands(ins)[-1].text
    if go_clean(dest) == "." or (dest.startswith("/") and go_clean(dest) == workdir):
        return SourceKind.PROJECT
    last = context_path(token.text).rsplit("/", 1)[-1].lower()
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
    if kind is SourceKind.FILES and step.manager in NODE:
        return _code_glob(token) not in _SCRIPT_EXTENSIONS
    return kind.busts(step)


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
    for sequence in sequences(ctx, stage):
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
    if any(under(t, m) for t in targets for m in manager(step.manager).mounts):
        return True
    return any(
        is_whole_context(token) for ins in sequence[at + 1 :] for token in context_sources(ins)
    )
