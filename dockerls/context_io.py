"""The edge that reads a build context from disk into a ``BuildContext``.

Bounded and defensive, because it runs on every open document in an editor:

* it lists the context root (plus one level down for ``*.csproj``/``*.sln``) and
  stops after a fixed number of entries;
* it reads a handful of small files (``.dockerignore``, ``package.json``, ``composer.json``,
  ``tsconfig.json``, ``.yarnrc.yml``), each at most ``MAX_FILE_BYTES``;
* when the root holds ``package.json`` or ``go.mod``, it reads the application's
  sources for the split (``read_sources``: the packages JavaScript/TypeScript files
  import, the root entries string literals name), walking at most
  ``MAX_SOURCE_ENTRIES`` entries ``MAX_SOURCE_DEPTH`` deep and reading at most
  ``MAX_SOURCE_FILES`` files, none bigger than ``MAX_SOURCE_FILE_BYTES``, skipping
  symbolic links, hidden, test and dependency directories and what the
  ``.dockerignore`` excludes;
* with a ``workspace_root`` it reads nothing that does not resolve inside it, so
  a symlink pointing out of the workspace is never followed (without one, reads
  stay inside the context directory and the Dockerfile's directory);
* it never opens anything but a regular file (no FIFO can block it), never uses
  the network, and never raises: what cannot be read becomes unknown.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from dockerls.context import (
    BIG_HOST_DIRECTORIES,
    CONTEXT_EMPTY,
    DOCKERIGNORE,
    BuildContext,
    PackageJson,
    Sources,
    go_imports,
    js_imports,
    parse_composer_paths,
    parse_tsconfig_out_dir,
    parse_yarnrc,
    string_literals,
)
from dockerls.dockerignore import DockerIgnore
from dockerls.size.inputs import ContextFiles, locked_packages

MAX_FILE_BYTES = 1 << 20  # files bigger than this are skipped (their content is unknown)
MAX_ROOT_ENTRIES = 10_000  # beyond this the root listing is marked incomplete
MAX_SUBDIRECTORIES = 200  # how many root directories are looked into for project files
MAX_SUBDIRECTORY_ENTRIES = 1_000  # entries looked at in each of them
NESTED_PROJECT_SUFFIXES = (".csproj", ".sln")

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_build_context(
    dockerfile_path: Path,
    context_dir: Path | None = None,
    workspace_root: Path | None = None,
) -> BuildContext:
    """Read what rules need from the build context of ``dockerfile_path``.

    ``context_dir`` defaults to the Dockerfile's directory. Returns
    ``CONTEXT_EMPTY`` when the context cannot be listed or lies outside
    ``workspace_root`` (with ``devcontainer`` set, for a development container's
    Dockerfile: that is known from its path). Never raises.
    """
    try:
        found = _read_build_context(dockerfile_path, context_dir, workspace_root)
    except (OSError, ValueError, RuntimeError):
        found = CONTEXT_EMPTY
    return replace(found, devcontainer=True) if is_devcontainer(dockerfile_path) else found


DEVCONTAINER_FILES = ("devcontainer.json", ".devcontainer.json")


def is_devcontainer(dockerfile_path: Path) -> bool:
    """Whether a Dockerfile belongs to a development container: a ``.devcontainer``
    directory on its path, or a devcontainer.json next to it. Never raises."""
    try:
        path = Path(os.path.abspath(dockerfile_path))
        if ".devcontainer" in path.parent.parts:
            return True
        return any(os.path.lexists(path.parent / name) for name in DEVCONTAINER_FILES)
    except (OSError, ValueError):
        return False


def _read_build_context(
    dockerfile_path: Path, context_dir: Path | None, workspace_root: Path | None
) -> BuildContext:
    dockerfile = Path(os.path.abspath(dockerfile_path))
    context = Path(os.path.abspath(context_dir if context_dir is not None else dockerfile.parent))
    real_context = _resolve(context)
    if real_context is None:
        return CONTEXT_EMPTY
    if workspace_root is not None:
        real_workspace = _resolve(Path(os.path.abspath(workspace_root)))
        if real_workspace is None:
            return CONTEXT_EMPTY
        roots: tuple[Path, ...] = (real_workspace,)
    else:
        same = dockerfile.parent == context
        real_dockerfile_dir = real_context if same else _resolve(dockerfile.parent)
        roots = (
            (real_context,) if real_dockerfile_dir is None else (real_context, real_dockerfile_dir)
        )
    if not _inside(real_context, roots) or not real_context.is_dir():
        return CONTEXT_EMPTY

    listing = _list_root(real_context)
    if listing is None:
        return CONTEXT_EMPTY
    files, directories, complete = listing
    files |= _nested_project_files(real_context, directories)
    unreadable: set[str] = set()

    ignore_path = _ignore_file(dockerfile, context)
    dockerignore: DockerIgnore | None = None
    if ignore_path is not None:
        text = _read_text(ignore_path, roots, strict=False)
        if text is None:
            if ignore_path.parent == context:
                unreadable.add(ignore_path.name)
        else:
            dockerignore = DockerIgnore.parse(text)

    package_json: PackageJson | None = None
    if "package.json" in files:
        text = _read_text(context / "package.json", roots, strict=True)
        package_json = None if text is None else PackageJson.parse(text)
        if package_json is None:
            unreadable.add("package.json")

    tsconfig_out_dir: str | None = None
    if "tsconfig.json" in files:
        text = _read_text(context / "tsconfig.json", roots, strict=True)
        parsed, tsconfig_out_dir = (False, None) if text is None else parse_tsconfig_out_dir(text)
        if not parsed:
            unreadable.add("tsconfig.json")

    yarnrc = None
    if ".yarnrc.yml" in files:
        text = _read_text(context / ".yarnrc.yml", roots, strict=True)
        if text is None:
            unreadable.add(".yarnrc.yml")
        else:
            yarnrc = parse_yarnrc(text)

    composer_paths: tuple[str, ...] = ()
    if "composer.json" in files:
        text = _read_text(context / "composer.json", roots, strict=True)
        parsed, composer_paths = (False, ()) if text is None else parse_composer_paths(text)
        if not parsed:
            unreadable.add("composer.json")

    sources = None
    if files & {"package.json", "go.mod"}:
        sources = read_sources(real_context, roots, dockerignore, files | directories)

    return BuildContext(
        known=True,
        dockerignore=dockerignore,
        dockerignore_path=None if ignore_path is None else str(ignore_path),
        files=frozenset(files),
        directories=frozenset(directories),
        listing_complete=complete,
        unreadable=frozenset(unreadable),
        package_json=package_json,
        tsconfig_out_dir=tsconfig_out_dir,
        yarnrc=yarnrc,
        sources=sources,
        composer_paths=composer_paths,
    )


JS_SOURCES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
OTHER_SOURCES = (".go", ".py")
MAX_SOURCE_FILES = 400  # source files read per context
MAX_SOURCE_FILE_BYTES = 256 * 1024  # bigger ones (bundles, generated code) are skipped
MAX_SOURCE_TOTAL_BYTES = 4 << 20
MAX_SOURCE_ENTRIES = 5_000  # directory entries looked at while walking
MAX_SOURCE_DEPTH = 8
# Directories whose files never run in the container: dependencies, build output, tests,
# fixtures, examples, tooling.
NOT_RUN_DIRECTORIES = frozenset(
    {"node_modules", "dist", "build", "out", "target", "vendor", "coverage", "tmp"}
    | {"test", "tests", "__tests__", "__mocks__", "spec", "e2e", "cypress", "fixtures"}
    | {"examples", "example", "scripts", "tools", "docs", "storybook", "benchmarks", "bench"}
)
_NOT_RUN_FILE = (".test.", ".spec.", ".stories.", ".config.", ".d.ts", "_test.go")


def read_sources(
    root: Path, roots: tuple[Path, ...], ignore: DockerIgnore | None, entries: set[str]
) -> Sources:
    """The packages JavaScript/TypeScript and Go sources import and the root entries (``entries``)
    that sources name in string literals: a bounded walk that skips what never runs (tests,
    dependencies, build output, configuration files, what the ``.dockerignore`` leaves out)."""
    walk = _SourceWalk(root, roots, ignore, entries)
    walk.directory("", 0)
    return Sources(tuple(sorted(walk.imports.items())), frozenset(walk.mentions), walk.complete)


@dataclass
class _SourceWalk:
    root: Path
    roots: tuple[Path, ...]
    ignore: DockerIgnore | None
    entries: set[str]
    imports: dict[str, str] = field(default_factory=dict)
    mentions: set[str] = field(default_factory=set)
    files_left: int = MAX_SOURCE_FILES
    bytes_left: int = MAX_SOURCE_TOTAL_BYTES
    entries_left: int = MAX_SOURCE_ENTRIES
    complete: bool = True

    def directory(self, prefix: str, depth: int) -> None:
        try:
            with os.scandir(self.root / prefix if prefix else self.root) as found:
                listed = sorted(found, key=lambda e: e.name)
        except OSError:
            return
        for entry in listed:
            self.entries_left -= 1
            if min(self.entries_left, self.files_left, self.bytes_left) < 0:
                self.complete = False
                return
            path = f"{prefix}{entry.name}"
            if entry.name.startswith(".") or (
                self.ignore is not None and self.ignore.is_excluded(path)
            ):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and entry.name not in NOT_RUN_DIRECTORIES and depth < MAX_SOURCE_DEPTH:
                self.directory(path + "/", depth + 1)
            elif is_file:
                self.file(entry, path)

    def file(self, entry: os.DirEntry[str], path: str) -> None:
        name = entry.name
        js = name.endswith(JS_SOURCES)
        go = name.endswith(".go")
        if not (js or name.endswith(OTHER_SOURCES)) or name.startswith("test_"):
            return
        if any(part in name for part in _NOT_RUN_FILE):
            return
        try:
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:
            return
        if size > MAX_SOURCE_FILE_BYTES:
            self.complete = False
            return
        text = _read_text(self.root / path, self.roots, strict=False)
        if text is None:
            return
        self.files_left -= 1
        self.bytes_left -= size
        for package in js_imports(text) if js else go_imports(text) if go else ():
            self.imports.setdefault(package, path)
        directory = posixpath.dirname(path)
        for literal in string_literals(text):
            self.mentions |= _root_entries(literal, directory, self.entries)


def _root_entries(literal: str, directory: str, entries: set[str]) -> set[str]:
    """The root entries a path literal may lead to, from the file's directory and from the
    root (the working directory a program usually starts in): ``../swagger.json`` in
    ``src/`` and ``templates/*.html`` both do."""
    found: set[str] = set()
    for base in (directory, ""):
        joined = posixpath.normpath(posixpath.join(base, literal))
        first = joined.split("/", 1)[0]
        if first in entries and not joined.startswith(("..", "/")):
            found.add(first)
    return found


def _ignore_file(dockerfile: Path, context: Path) -> Path | None:
    """BuildKit's choice: ``<Dockerfile name>.dockerignore`` beside the Dockerfile wins."""
    for candidate in (
        dockerfile.with_name(dockerfile.name + ".dockerignore"),
        context / DOCKERIGNORE,
    ):
        if os.path.lexists(candidate):
            return candidate
    return None


def _resolve(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _list_root(root: Path) -> tuple[set[str], set[str], bool] | None:
    """(non-directory names, directory names, complete) at the root; symlinks not followed."""
    files: set[str] = set()
    directories: set[str] = set()
    try:
        with os.scandir(root) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_ROOT_ENTRIES:
                    return files, directories, False
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                (directories if is_dir else files).add(entry.name)
    except OSError:
        return None
    return files, directories, True


def _nested_project_files(root: Path, directories: set[str]) -> set[str]:
    """``dir/name.csproj`` and ``dir/name.sln`` one level below the root."""
    found: set[str] = set()
    candidates = sorted(
        d for d in directories if not d.startswith(".") and d not in BIG_HOST_DIRECTORIES
    )
    for directory in candidates[:MAX_SUBDIRECTORIES]:
        try:
            with os.scandir(root / directory) as entries:
                for count, entry in enumerate(entries):
                    if count >= MAX_SUBDIRECTORY_ENTRIES:
                        break
                    if entry.name.lower().endswith(NESTED_PROJECT_SUFFIXES) and not entry.is_dir(
                        follow_symlinks=False
                    ):
                        found.add(f"{directory}/{entry.name}")
        except OSError:
            continue
    return found


def _read_text(path: Path, roots: tuple[Path, ...], *, strict: bool) -> str | None:
    """The text of a small regular file resolving inside ``roots``, else None.

    ``strict`` decoding fails on invalid UTF-8 (for JSON); otherwise bad bytes
    are replaced.
    """
    real = _resolve(path)
    if real is None or not _inside(real, roots):
        return None
    try:
        data = read_regular_file(real, MAX_FILE_BYTES, follow_symlinks=False)
    except (OSError, NotReadable):
        return None
    try:
        return data.decode("utf-8", errors="strict" if strict else "replace")
    except UnicodeDecodeError:
        return None


class NotReadable(ValueError):
    """A path that is not read on purpose; the message says why (for the user)."""


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _size(count: int) -> str:
    return f"{count / (1 << 20):.1f} MiB" if count >= 1 << 20 else f"{count} bytes"


def read_regular_file(path: str | Path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Opening never blocks (a FIFO has no writer to wait for) and nothing but a
    regular file is read, so a device cannot feed bytes forever. Raises
    ``OSError`` when the file cannot be opened or read, and ``NotReadable`` for
    anything else than a regular file or a file bigger than ``limit``.
    """
    flags = _OPEN_FLAGS if not follow_symlinks else _OPEN_FLAGS & ~getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next(
                (name for test, name in _FILE_KINDS if test(info.st_mode)), "a special file"
            )
            raise NotReadable(f"not a regular file: {kind}")
        if info.st_size > limit:
            raise NotReadable(
                f"too large to check ({_size(info.st_size)}; the limit is {_size(limit)})"
            )
        return read_bounded(lambda count: os.read(fd, count), limit)
    finally:
        os.close(fd)


def read_bounded(read: Callable[[int], bytes], limit: int) -> bytes:
    """Everything ``read(count)`` gives until it returns nothing, at most ``limit`` bytes.

    Raises ``NotReadable`` as soon as there is more (a file growing while it is
    read, or standard input fed without end).
    """
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = read(limit + 1 - size)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise NotReadable(f"too large to check (over the limit of {_size(limit)})")


# --------------------------------------------------------------------------- file sizes

MAX_SIZED_FILES = 50_000  # the size walk stops here (sums become lower bounds)
MAX_LOCK_BYTES = 16 << 20  # lockfiles read for the size estimate
_LOCKS = ("package-lock.json", "requirements.txt", "poetry.lock", "uv.lock")


def read_context_files(
    context: BuildContext, context_dir: Path, limit: int = MAX_SIZED_FILES
) -> ContextFiles | None:
    """The files of a build context that reach the builder, with their sizes, and the
    packages its lockfiles name (for ``dockerls size`` and the size hints; never on the
    diagnostics path). Bounded by ``limit`` files; symlinks are not followed; None
    when the context is unknown or cannot be walked. Never raises."""
    if not context.known:
        return None
    try:
        root = Path(os.path.abspath(context_dir))
        files, complete = _walk_sizes(root, context, limit)
        locks = []
        at_root = {path for path, _ in files if "/" not in path}
        for name in _LOCKS:
            if name in at_root:
                try:
                    text = read_regular_file(root / name, MAX_LOCK_BYTES, follow_symlinks=False)
                except (OSError, ValueError):
                    continue
                packages = locked_packages(name, text.decode("utf-8", "replace"))
                if packages is not None:
                    locks.append((name, packages))
        return ContextFiles(tuple(sorted(files)), complete, tuple(locks))
    except (OSError, ValueError, RuntimeError):
        return None


def _walk_sizes(
    root: Path, context: BuildContext, limit: int
) -> tuple[list[tuple[str, int]], bool]:
    found: list[tuple[str, int]] = []
    for directory, subdirs, names in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(directory, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        subdirs[:] = [d for d in subdirs if context.directory_sent(prefix + d) is not False]
        for name in names:
            rel = prefix + name
            if context.sends_to_daemon(rel) is False:
                continue
            try:
                info = os.lstat(f"{directory}/{name}")
            except OSError:
                continue
            found.append((rel, info.st_size if stat.S_ISREG(info.st_mode) else 0))
            if len(found) >= limit:
                return found, False
    return found, True
