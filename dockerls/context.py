"""What sits next to a Dockerfile, as plain data. Pure: no I/O.

The edges (server, CLI) read the build context with ``dockerls.context_io`` and
pass a ``BuildContext`` to ``analyze()``. With no files around (an unsaved
buffer) they pass ``CONTEXT_EMPTY``, and every query answers ``None``: unknown,
which rules must treat differently from "absent" (a rule that would complain
about a missing file says nothing when it cannot know).

Three states, for every fact:

* the context is unknown (``known`` is False): every query returns ``None``;
* a file exists but could not be read or parsed (too big, unreadable, invalid,
  a symlink leaving the workspace): its name is in ``unreadable`` and what it
  would have told us is unknown;
* otherwise absence is real: ``has_file()`` is False, ``package_json`` is None
  because there is no ``package.json``.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from dockerls.dockerignore import DockerIgnore, go_clean, normalize_path

DOCKERIGNORE = ".dockerignore"

# Host directories that bloat an image or bust the cache when ``COPY . .`` sends them.
BIG_HOST_DIRECTORIES: tuple[str, ...] = (
    "node_modules",
    ".venv",
    "venv",
    "target",
    ".git",
    "dist",
    "build",
    "__pycache__",
)


class PackageManager(enum.Enum):
    """A dependency tool, with the files it installs from (see ``dependency_files``)."""

    NPM = "npm"
    YARN = "yarn"
    PNPM = "pnpm"
    BUN = "bun"
    PIP = "pip"
    POETRY = "poetry"
    UV = "uv"
    PIPENV = "pipenv"
    GO = "go"
    CARGO = "cargo"
    BUNDLER = "bundler"
    COMPOSER = "composer"
    MAVEN = "maven"
    GRADLE = "gradle"
    DOTNET = "dotnet"


@dataclass(frozen=True, slots=True)
class DependencyFiles:
    """Names (or ``fnmatch`` globs) at the context root, in the order to COPY them."""

    manifests: tuple[str, ...]
    lockfiles: tuple[str, ...]


_PACKAGE_JSON = ("package.json",)
_PYPROJECT = ("pyproject.toml",)

DEPENDENCY_FILES: dict[PackageManager, DependencyFiles] = {
    PackageManager.NPM: DependencyFiles(
        _PACKAGE_JSON, ("package-lock.json", "npm-shrinkwrap.json")
    ),
    PackageManager.YARN: DependencyFiles(_PACKAGE_JSON, ("yarn.lock",)),
    PackageManager.PNPM: DependencyFiles(_PACKAGE_JSON, ("pnpm-lock.yaml",)),
    PackageManager.BUN: DependencyFiles(_PACKAGE_JSON, ("bun.lockb", "bun.lock")),
    # pip's pinned input is a requirements file; pyproject.toml declares ranges.
    PackageManager.PIP: DependencyFiles(_PYPROJECT, ("requirements*.txt",)),
    PackageManager.POETRY: DependencyFiles(_PYPROJECT, ("poetry.lock",)),
    PackageManager.UV: DependencyFiles(_PYPROJECT, ("uv.lock",)),
    PackageManager.PIPENV: DependencyFiles(("Pipfile",), ("Pipfile.lock",)),
    PackageManager.GO: DependencyFiles(("go.mod",), ("go.sum",)),
    PackageManager.CARGO: DependencyFiles(("Cargo.toml",), ("Cargo.lock",)),
    PackageManager.BUNDLER: DependencyFiles(("Gemfile",), ("Gemfile.lock",)),
    PackageManager.COMPOSER: DependencyFiles(("composer.json",), ("composer.lock",)),
    PackageManager.MAVEN: DependencyFiles(("pom.xml",), ()),
    PackageManager.GRADLE: DependencyFiles(
        (
            "settings.gradle",
            "settings.gradle.kts",
            "build.gradle",
            "build.gradle.kts",
            "gradle.properties",
            "gradlew",
        ),
        ("gradle.lockfile",),
    ),
    # Project files may sit one directory down (``src/App.csproj`` is listed as found).
    PackageManager.DOTNET: DependencyFiles(("*.sln", "*.csproj"), ("packages.lock.json",)),
}


@dataclass(frozen=True, slots=True)
class PackageJson:
    """The parts of ``package.json`` rules look at."""

    name: str | None = None
    scripts: tuple[tuple[str, str], ...] = ()  # (name, command) in file order
    dependencies: frozenset[str] = frozenset()
    dev_dependencies: frozenset[str] = frozenset()
    main: str | None = None
    type: str | None = None  # "module" or "commonjs" as written
    package_manager: str | None = None  # the corepack field, e.g. "pnpm@9.1.0"

    @property
    def has_dev_dependencies(self) -> bool:
        return bool(self.dev_dependencies)

    def script(self, name: str) -> str | None:
        for key, command in self.scripts:
            if key == name:
                return command
        return None

    @staticmethod
    def parse(text: str) -> PackageJson | None:
        """None when the text is not a JSON object; odd fields are ignored, never fatal."""
        data = _load_json(text)
        if not isinstance(data, dict):
            return None
        scripts_data = data.get("scripts")
        scripts = tuple(
            (key, value)
            for key, value in (scripts_data.items() if isinstance(scripts_data, dict) else ())
            if isinstance(key, str) and isinstance(value, str)
        )
        return PackageJson(
            name=_str_or_none(data.get("name")),
            scripts=scripts,
            dependencies=_keys(data.get("dependencies")),
            dev_dependencies=_keys(data.get("devDependencies")),
            main=_str_or_none(data.get("main")),
            type=_str_or_none(data.get("type")),
            package_manager=_str_or_none(data.get("packageManager")),
        )


def parse_tsconfig_out_dir(text: str) -> tuple[bool, str | None]:
    """(parsed, ``compilerOptions.outDir``) from a ``tsconfig.json`` (JSON with comments).

    ``parsed`` is False when the text is not a JSON object. The directory is
    cleaned (``./dist/`` becomes ``dist``). ``extends`` is not followed.
    """
    data = _load_json(_strip_jsonc(text))
    if not isinstance(data, dict):
        return False, None
    options = data.get("compilerOptions")
    out_dir = options.get("outDir") if isinstance(options, dict) else None
    if not isinstance(out_dir, str) or not out_dir.strip():
        return True, None
    return True, go_clean(out_dir.strip())


@dataclass(frozen=True, slots=True)
class YarnRc:
    """The parts of Yarn 2+'s ``.yarnrc.yml`` the split looks at (top-level keys only)."""

    node_linker: str | None = None  # "pnp", "node-modules", "pnpm"; None: not set (PnP)
    global_cache: bool | None = None  # enableGlobalCache; None: not set (Yarn's default)
    yarn_major: int | None = None  # from ``yarnPath: .yarn/releases/yarn-4.1.0.cjs``
    workspace_tools: bool = False  # the workspace-tools plugin is listed under ``plugins``


_YARNRC_KEY = re.compile(r"^(nodeLinker|enableGlobalCache|yarnPath):[ \t]*[\"']?([^\"'#\s]*)")


def parse_yarnrc(text: str) -> YarnRc:
    """What ``.yarnrc.yml`` says about the linker, the cache and the Yarn release; a line
    that is not a plain top-level ``key: value`` is ignored, never fatal."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        found = _YARNRC_KEY.match(line)
        if found is not None:
            values[found.group(1)] = found.group(2)
    cache = values.get("enableGlobalCache", "").lower()
    release = re.search(r"yarn-(\d+)\.[^/]*\.c?js$", values.get("yarnPath", ""))
    return YarnRc(
        node_linker=values.get("nodeLinker") or None,
        global_cache={"true": True, "false": False}.get(cache),
        yarn_major=int(release.group(1)) if release is not None else None,
        workspace_tools="workspace-tools" in text,
    )


def parse_composer_paths(text: str) -> tuple[bool, tuple[str, ...]]:
    """(parsed, the ``url`` of every ``path`` repository) from a ``composer.json``.

    ``parsed`` is False when the text is not a JSON object. ``repositories`` may be a list
    or an object of repositories; the URLs are kept as written (Composer allows wildcards).
    """
    data = _load_json(text)
    if not isinstance(data, dict):
        return False, ()
    repositories = data.get("repositories")
    if isinstance(repositories, dict):
        repositories = list(repositories.values())
    if not isinstance(repositories, list):
        return True, ()
    urls = [
        r["url"]
        for r in repositories
        if isinstance(r, dict) and r.get("type") == "path" and isinstance(r.get("url"), str)
    ]
    return True, tuple(urls)


# ``import … from "x"``, ``import "x"``, ``export … from "x"``, ``import("x")``: what sits
# between the keyword and the string is kept to decide (bounded: no backtracking blow-up).
_JS_IMPORT = re.compile(r"\b(?:import|export)\b([^;'\"`]{0,400}?)['\"]([^'\"\n]{1,200})['\"]")
_JS_REQUIRE = re.compile(r"\brequire\s*\(\s*['\"]([^'\"\n]{1,200})['\"]")
_JS_FROM = re.compile(r"^\(?$|(^|[\s}*])from$")
_STRING_LITERAL = re.compile(r"(['\"`])([^'\"`\n\\]{1,200})\1")


def js_imports(text: str) -> frozenset[str]:
    """The packages a JavaScript/TypeScript file imports or requires at run time: bare
    specifiers (``@scope/name``, ``name``; not ``./x``, ``/x`` or ``node:x``), without
    type-only imports (``import type``, which compilers erase)."""
    found: set[str] = set()
    for match in _JS_IMPORT.finditer(text):
        between = match.group(1).strip()
        if between.startswith("type ") or not _JS_FROM.search(between):
            continue
        found.add(match.group(2))
    found.update(m.group(1) for m in _JS_REQUIRE.finditer(text))
    return frozenset(p for p in (package_of(s) for s in found) if p is not None)


# Go: a single import or an import block; only the import paths (quoted) are kept.
_GO_IMPORT = re.compile(r"^import\s*(?:\(([^)]{0,4000})\)|([^\n]{1,300}))", re.M)
_GO_PATH = re.compile(r"\"([^\"\n]{1,200})\"")


def go_imports(text: str) -> frozenset[str]:
    """The import paths of a Go file (``C`` when it uses cgo)."""
    found: set[str] = set()
    for match in _GO_IMPORT.finditer(text):
        found.update(_GO_PATH.findall(match.group(1) or match.group(2)))
    return frozenset(found)


def package_of(specifier: str) -> str | None:
    """The package a bare module specifier names (``@a/b/c`` -> ``@a/b``, ``x/y`` -> ``x``)."""
    if specifier.startswith((".", "/", "node:", "#")) or ":" in specifier:
        return None
    parts = specifier.split("/")
    name = "/".join(parts[:2]) if specifier.startswith("@") else parts[0]
    return name if name and " " not in name and (not name.startswith("@") or "/" in name) else None


def string_literals(text: str) -> frozenset[str]:
    """The short one-line string literals of a source file (quotes of any kind)."""
    return frozenset(m.group(2) for m in _STRING_LITERAL.finditer(text))


@dataclass(frozen=True, slots=True)
class Sources:
    """What the application's own sources in the build context say they need at run time,
    read by ``context_io`` from a bounded number of source files (tests, fixtures and
    build configuration left out)."""

    imports: tuple[tuple[str, str], ...] = ()  # (package, first file importing it), sorted
    mentions: frozenset[str] = frozenset()  # root entries a source names in a string literal
    complete: bool = True  # False: the limits stopped the reading before every file

    def importers(self, packages: frozenset[str]) -> list[tuple[str, str]]:
        """(package, file) for the packages of ``packages`` the sources import."""
        return [(name, file) for name, file in self.imports if name in packages]


@dataclass(frozen=True, slots=True)
class BuildContext:
    """The build context of one Dockerfile, as far as it is known."""

    known: bool
    dockerignore: DockerIgnore | None = None  # None: no ignore file, or unreadable
    dockerignore_path: str | None = None  # the file in effect; set even when unreadable
    files: frozenset[str] = frozenset()  # root entries that are not directories (+ one level)
    directories: frozenset[str] = frozenset()  # root directories (symlinks not followed)
    listing_complete: bool = True  # False: the root had too many entries to list them all
    unreadable: frozenset[str] = frozenset()  # existing files whose content is unknown
    package_json: PackageJson | None = None
    tsconfig_out_dir: str | None = None
    yarnrc: YarnRc | None = None  # Yarn 2+'s .yarnrc.yml, when read
    sources: Sources | None = None  # None: the sources were not read
    # The local ``path`` repositories composer.json names (their ``url`` as written): the
    # install reads them, so a manifests-first COPY must take them too.
    composer_paths: tuple[str, ...] = ()
    # A development container's Dockerfile (under a ``.devcontainer`` directory, or next to
    # a devcontainer.json): a workstation, not an image that ships. Known from the path
    # even when the rest is not.
    devcontainer: bool = False

    def has_file(self, name: str) -> bool | None:
        """Whether a file exists at ``name`` (relative to the root); None when unknown.

        Only the root was listed (plus ``*.csproj``/``*.sln`` one level down), so a
        deeper path is unknown unless it was seen.
        """
        return self._has(self.files, name)

    def has_directory(self, name: str) -> bool | None:
        return self._has(self.directories, name)

    def has_dockerignore(self) -> bool | None:
        return self.dockerignore_path is not None if self.known else None

    def lockfiles_for(self, manager: PackageManager) -> tuple[str, ...] | None:
        """The lockfiles of ``manager`` that exist, in canonical order; None when unknown."""
        return self._existing(DEPENDENCY_FILES[manager].lockfiles)

    def dependency_files_for(self, manager: PackageManager) -> tuple[str, ...] | None:
        """Manifests then lockfiles of ``manager`` that exist: what to COPY before installing."""
        spec = DEPENDENCY_FILES[manager]
        return self._existing(spec.manifests + spec.lockfiles)

    def has_lockfile(self, manager: PackageManager) -> bool | None:
        found = self.lockfiles_for(manager)
        return None if found is None else bool(found)

    def sends_to_daemon(self, path: str) -> bool | None:
        """Whether ``path`` reaches the builder (is visible to COPY/ADD); None when unknown.

        Only the ignore rules are consulted, not whether the path exists. (Docker
        also sends the Dockerfile and the ignore file when they are excluded, but
        COPY and ADD do not see them, which is what this answers.)
        """
        if not self.known:
            return None
        if self.dockerignore_path is None:
            return True
        if self.dockerignore is None:
            return None
        return not self.dockerignore.is_excluded(path)

    def directory_sent(self, directory: str) -> bool | None:
        """Whether a directory's contents reach the builder (``node_modules/*`` counts as not)."""
        if not self.known:
            return None
        if self.dockerignore_path is None:
            return True
        if self.dockerignore is None:
            return None
        return not self.dockerignore.excludes_contents_of(directory)

    def big_directories_sent(self) -> tuple[str, ...] | None:
        """``BIG_HOST_DIRECTORIES`` present at the root and not ignored; None when unknown."""
        if not self.known or (self.dockerignore_path is not None and self.dockerignore is None):
            return None
        return tuple(
            name
            for name in BIG_HOST_DIRECTORIES
            if name in self.directories and self.directory_sent(name)
        )

    def _has(self, names: frozenset[str], name: str) -> bool | None:
        if not self.known:
            return None
        normalized = normalize_path(name)
        if normalized is None:
            return None
        if normalized in names:
            return True
        if "/" in normalized or not self.listing_complete:
            return None
        return False

    def _existing(self, candidates: tuple[str, ...]) -> tuple[str, ...] | None:
        if not self.known or not self.listing_complete:
            return None
        found: list[str] = []
        for candidate in candidates:
            if any(ch in candidate for ch in "*?["):
                found.extend(sorted(f for f in self.files if fnmatchcase(f, candidate)))
            elif candidate in self.files:
                found.append(candidate)
        return tuple(dict.fromkeys(found))


CONTEXT_EMPTY = BuildContext(known=False)


def _load_json(text: str) -> object:
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _keys(value: object) -> frozenset[str]:
    if not isinstance(value, dict):
        return frozenset()
    return frozenset(key for key in value if isinstance(key, str))


_JSONC_SPECIAL = re.compile(r'["/,]')
# A string (possibly unterminated), written so that matching never backtracks.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)


def _strip_jsonc(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments and trailing commas, leaving strings intact.

    One linear pass, whatever the input (no regex backtracking on hostile text).
    """
    out: list[str] = []
    pending_comma = -1  # index in ``out`` of a comma that may turn out to be trailing
    i, n = 0, len(text)
    while i < n:
        match = _JSONC_SPECIAL.search(text, i)
        stop = n if match is None else match.start()
        if stop > i:
            chunk = text[i:stop]
            if pending_comma >= 0 and chunk.strip():
                if chunk.lstrip()[0] in "}]":
                    out[pending_comma] = " "
                pending_comma = -1
            out.append(chunk)
            i = stop
            continue
        ch = text[i]
        if ch == '"':
            string = _JSON_STRING.match(text, i)
            end = n if string is None else string.end()
            pending_comma = -1
            out.append(text[i:end])
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end == -1 else end
            out.append(" ")
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
            out.append(" ")
        elif ch == ",":
            pending_comma = len(out)
            out.append(",")
            i += 1
        else:  # a lone '/': not valid JSON, left for the parser to reject
            pending_comma = -1
            out.append(ch)
            i += 1
    return "".join(out)
