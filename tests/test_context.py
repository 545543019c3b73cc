"""The build context: pure queries on ``BuildContext`` and reading one from disk."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerls import context_io
from dockerls.context import (
    CONTEXT_EMPTY,
    BuildContext,
    PackageJson,
    PackageManager,
    parse_composer_paths,
    parse_tsconfig_out_dir,
)
from dockerls.context_io import MAX_FILE_BYTES, read_build_context
from dockerls.dockerignore import DockerIgnore

# --- pure queries -------------------------------------------------------------------------


def ctx(
    files: str = "",
    directories: str = "",
    ignore: str | None = None,
    **kwargs: object,
) -> BuildContext:
    return BuildContext(
        known=True,
        files=frozenset(files.split()),
        directories=frozenset(directories.split()),
        dockerignore=None if ignore is None else DockerIgnore.parse(ignore),
        dockerignore_path=None if ignore is None else "/ctx/.dockerignore",
        **kwargs,  # type: ignore[arg-type]
    )


def test_empty_context_knows_nothing() -> None:
    assert CONTEXT_EMPTY.known is False
    assert CONTEXT_EMPTY.has_file("package.json") is None
    assert CONTEXT_EMPTY.has_directory("node_modules") is None
    assert CONTEXT_EMPTY.has_dockerignore() is None
    assert CONTEXT_EMPTY.lockfiles_for(PackageManager.NPM) is None
    assert CONTEXT_EMPTY.dependency_files_for(PackageManager.NPM) is None
    assert CONTEXT_EMPTY.has_lockfile(PackageManager.NPM) is None
    assert CONTEXT_EMPTY.sends_to_daemon("node_modules") is None
    assert CONTEXT_EMPTY.directory_sent("node_modules") is None
    assert CONTEXT_EMPTY.big_directories_sent() is None


def test_absent_is_not_unknown() -> None:
    context = ctx("Dockerfile")
    assert context.has_file("package.json") is False
    assert context.has_file("Dockerfile") is True
    assert context.has_file("./Dockerfile") is True
    assert context.has_directory("node_modules") is False
    assert context.has_dockerignore() is False
    assert context.lockfiles_for(PackageManager.NPM) == ()
    assert context.has_lockfile(PackageManager.NPM) is False


def test_only_the_root_is_known() -> None:
    context = ctx("Dockerfile App/App.csproj", "src App")
    assert context.has_file("src/main.py") is None
    assert context.has_file("App/App.csproj") is True
    assert context.has_directory("src") is True
    assert context.has_directory("src/pkg") is None
    assert context.has_file("../outside") is None


def test_incomplete_listing_makes_absence_unknown() -> None:
    context = ctx("a b", listing_complete=False)
    assert context.has_file("a") is True
    assert context.has_file("zzz") is None
    assert context.lockfiles_for(PackageManager.NPM) is None


@pytest.mark.parametrize(
    ("files", "manager", "lockfiles", "dependency_files"),
    [
        (
            "package.json yarn.lock package-lock.json",
            PackageManager.NPM,
            ("package-lock.json",),
            ("package.json", "package-lock.json"),
        ),
        ("package.json npm-shrinkwrap.json", PackageManager.NPM, ("npm-shrinkwrap.json",), None),
        ("package.json yarn.lock", PackageManager.NPM, (), ("package.json",)),
        ("package.json yarn.lock", PackageManager.YARN, ("yarn.lock",), None),
        ("pnpm-lock.yaml", PackageManager.PNPM, ("pnpm-lock.yaml",), None),
        ("bun.lock bun.lockb", PackageManager.BUN, ("bun.lockb", "bun.lock"), None),
        (
            "requirements.txt requirements-dev.txt pyproject.toml",
            PackageManager.PIP,
            ("requirements-dev.txt", "requirements.txt"),
            ("pyproject.toml", "requirements-dev.txt", "requirements.txt"),
        ),
        ("pyproject.toml poetry.lock", PackageManager.POETRY, ("poetry.lock",), None),
        ("pyproject.toml uv.lock", PackageManager.UV, ("uv.lock",), None),
        ("pyproject.toml", PackageManager.UV, (), ("pyproject.toml",)),
        ("Pipfile Pipfile.lock", PackageManager.PIPENV, ("Pipfile.lock",), None),
        ("go.mod go.sum", PackageManager.GO, ("go.sum",), ("go.mod", "go.sum")),
        ("Cargo.toml Cargo.lock", PackageManager.CARGO, ("Cargo.lock",), None),
        ("Gemfile Gemfile.lock", PackageManager.BUNDLER, ("Gemfile.lock",), None),
        ("composer.json composer.lock", PackageManager.COMPOSER, ("composer.lock",), None),
        ("pom.xml", PackageManager.MAVEN, (), ("pom.xml",)),
        (
            "gradlew build.gradle.kts settings.gradle.kts",
            PackageManager.GRADLE,
            (),
            ("settings.gradle.kts", "build.gradle.kts", "gradlew"),
        ),
        (
            "App.sln src/Api.csproj tests/Tests.csproj",
            PackageManager.DOTNET,
            (),
            ("App.sln", "src/Api.csproj", "tests/Tests.csproj"),
        ),
    ],
)
def test_dependency_files(
    files: str,
    manager: PackageManager,
    lockfiles: tuple[str, ...],
    dependency_files: tuple[str, ...] | None,
) -> None:
    context = ctx(files)
    assert context.lockfiles_for(manager) == lockfiles
    assert context.has_lockfile(manager) is bool(lockfiles)
    if dependency_files is not None:
        assert context.dependency_files_for(manager) == dependency_files


def test_sends_to_daemon() -> None:
    assert ctx().sends_to_daemon("node_modules") is True  # no ignore file: everything is sent
    context = ctx(ignore="node_modules\n*.md\n!README.md")
    assert context.sends_to_daemon("node_modules/x") is False
    assert context.sends_to_daemon("README.md") is True
    assert context.sends_to_daemon("NOTES.md") is False
    assert context.sends_to_daemon("src/app.py") is True
    assert context.has_dockerignore() is True


def test_unreadable_ignore_file_makes_everything_about_it_unknown() -> None:
    context = BuildContext(
        known=True,
        dockerignore_path="/ctx/.dockerignore",
        files=frozenset({".dockerignore"}),
        directories=frozenset({"node_modules"}),
        unreadable=frozenset({".dockerignore"}),
    )
    assert context.has_dockerignore() is True
    assert context.sends_to_daemon("x") is None
    assert context.directory_sent("node_modules") is None
    assert context.big_directories_sent() is None


@pytest.mark.parametrize(
    ("ignore", "sent"),
    [
        (None, ("node_modules", ".venv", ".git")),
        ("", ("node_modules", ".venv", ".git")),
        ("node_modules\n.git", (".venv",)),
        ("**/node_modules/\n.venv/*\n.git/**", ()),
        ("node_modules/*.js\n.git\n!.git", ("node_modules", ".venv", ".git")),
        ("*", ()),
    ],
)
def test_big_directories_sent(ignore: str | None, sent: tuple[str, ...]) -> None:
    context = ctx("Dockerfile", "node_modules .venv .git src", ignore)
    assert context.big_directories_sent() == sent


# --- package.json and tsconfig.json --------------------------------------------------------


def test_package_json_parse() -> None:
    text = json.dumps(
        {
            "name": "web",
            "type": "module",
            "main": "dist/index.js",
            "packageManager": "pnpm@9.1.0",
            "scripts": {"build": "tsc -p .", "start": "node dist/index.js", "bad": 3},
            "dependencies": {"express": "^4"},
            "devDependencies": {"typescript": "^5", "vitest": "^1"},
        }
    )
    package = PackageJson.parse(text)
    assert package is not None
    assert package.name == "web"
    assert package.type == "module"
    assert package.main == "dist/index.js"
    assert package.package_manager == "pnpm@9.1.0"
    assert package.scripts == (("build", "tsc -p ."), ("start", "node dist/index.js"))
    assert package.script("build") == "tsc -p ."
    assert package.script("test") is None
    assert package.dependencies == {"express"}
    assert package.dev_dependencies == {"typescript", "vitest"}
    assert package.has_dev_dependencies


@pytest.mark.parametrize(
    "text",
    ['{"devDependencies": {}}', '{"devDependencies": []}', "{}", '\ufeff{"name": 1}'],
)
def test_package_json_without_dev_dependencies(text: str) -> None:
    package = PackageJson.parse(text)
    assert package is not None
    assert not package.has_dev_dependencies
    assert package.name is None
    assert package.scripts == ()


@pytest.mark.parametrize("text", ["", "{", "[]", "null", "42", '{"a": 1,}', "[" * 100_000])
def test_package_json_invalid(text: str) -> None:
    assert PackageJson.parse(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"compilerOptions": {"outDir": "./dist/"}}', (True, "dist")),
        ('{"compilerOptions": {"outDir": "build"}}', (True, "build")),
        ('{"compilerOptions": {"rootDir": "src"}}', (True, None)),
        ("{}", (True, None)),
        ('{"compilerOptions": {"outDir": 3}}', (True, None)),
        (
            """{
              // comment with "quotes"
              "compilerOptions": {
                /* block
                   comment */
                "outDir": "out", // trailing comment
                "paths": {"@/*": ["src/*"]},
                "baseUrl": "http://example.com//x",
              },
            }""",
            (True, "out"),
        ),
        ('{"compilerOptions": {"outDir": "a/*b*/c"}}', (True, "a/*b*/c")),
        ('{"compilerOptions": {"outDir": "x,}"}}', (True, "x,}")),
        ('{"compilerOptions": {"outDir": "o", /* c */ "x": [1, 2,],},}', (True, "o")),
        ('{"compilerOptions": {"outDir": "o",, }}', (False, None)),
        ('{"compilerOptions": {"outDir": "o\\"\\\\",}}', (True, 'o"\\')),
        ('{"a": "/* not a comment */", "compilerOptions": {"outDir": "p"}}', (True, "p")),
        ("{ / }", (False, None)),
        ("{ /* unterminated", (False, None)),
        ('{"unterminated', (False, None)),
        ("not json", (False, None)),
        ("[]", (False, None)),
    ],
)
def test_tsconfig_out_dir(text: str, expected: tuple[bool, str | None]) -> None:
    assert parse_tsconfig_out_dir(text) == expected


def test_hostile_jsonc_is_handled_in_linear_time() -> None:
    assert parse_tsconfig_out_dir('"\\"' * 100_000) == (False, None)
    assert parse_tsconfig_out_dir("," + " " * 100_000 + "x" + ",/**/" * 30_000) == (False, None)


@given(st.text(alphabet=st.sampled_from(list('{}[]",:/*\\ \nab1')), max_size=60))
def test_json_readers_never_raise(text: str) -> None:
    PackageJson.parse(text)
    parse_tsconfig_out_dir(text)


# --- reading from disk --------------------------------------------------------------------


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


PACKAGE_JSON = json.dumps(
    {"scripts": {"build": "tsc"}, "dependencies": {"x": "1"}, "devDependencies": {"y": "1"}}
)


def test_reads_a_node_context(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Dockerfile": "FROM node:22\nCOPY . .\n",
            "package.json": PACKAGE_JSON,
            "package-lock.json": "{}",
            "tsconfig.json": '{"compilerOptions": {"outDir": "./dist"}, // c\n}',
            ".dockerignore": "node_modules\n.git\n",
            "node_modules/react/index.js": "",
            ".git/HEAD": "",
            "dist/index.js": "",
            "src/index.ts": "",
        },
    )
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.known
    assert context.dockerignore_path == str(tmp_path / ".dockerignore")
    assert context.dockerignore is not None
    assert [p.pattern for p in context.dockerignore.patterns] == ["node_modules", ".git"]
    assert context.files == {
        "Dockerfile",
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        ".dockerignore",
    }
    assert context.directories == {"node_modules", ".git", "dist", "src"}
    assert context.listing_complete
    assert context.unreadable == frozenset()
    assert context.package_json is not None
    assert context.package_json.script("build") == "tsc"
    assert context.package_json.has_dev_dependencies
    assert context.tsconfig_out_dir == "dist"
    assert context.lockfiles_for(PackageManager.NPM) == ("package-lock.json",)
    assert context.big_directories_sent() == ("dist",)
    assert context.sends_to_daemon("node_modules/react/index.js") is False


def test_reads_a_python_context_without_ignore_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Dockerfile": "",
            "pyproject.toml": "",
            "uv.lock": "",
            "requirements.txt": "",
            ".venv/bin/python": "",
            "pkg/__pycache__/x.pyc": "",
        },
    )
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.has_dockerignore() is False
    assert context.dockerignore is None
    assert context.package_json is None
    assert context.has_file("package.json") is False
    assert context.lockfiles_for(PackageManager.UV) == ("uv.lock",)
    assert context.lockfiles_for(PackageManager.POETRY) == ()
    assert context.big_directories_sent() == (".venv",)  # pkg/__pycache__ is not at the root


def test_context_dir_differs_from_the_dockerfile_dir(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "docker/app.Dockerfile": "",
            ".dockerignore": "*.md\n",
            "go.mod": "",
            "go.sum": "",
        },
    )
    context = read_build_context(tmp_path / "docker" / "app.Dockerfile", tmp_path)
    assert context.files == {".dockerignore", "go.mod", "go.sum"}
    assert context.directories == {"docker"}
    assert context.dockerignore_path == str(tmp_path / ".dockerignore")
    assert context.lockfiles_for(PackageManager.GO) == ("go.sum",)


@pytest.mark.parametrize(
    ("dockerfile", "ignore_files", "expected"),
    [
        # <Dockerfile name>.dockerignore beside the Dockerfile wins over .dockerignore.
        (
            "docker/app.Dockerfile",
            {"docker/app.Dockerfile.dockerignore": "specific", ".dockerignore": "root"},
            "docker/app.Dockerfile.dockerignore",
        ),
        (
            "Dockerfile",
            {"Dockerfile.dockerignore": "specific", ".dockerignore": "root"},
            "Dockerfile.dockerignore",
        ),
        (
            "docker/app.Dockerfile",
            {"docker/other.Dockerfile.dockerignore": "other", ".dockerignore": "root"},
            ".dockerignore",
        ),
        # Only the context root's .dockerignore counts, not one beside the Dockerfile.
        ("docker/app.Dockerfile", {"docker/.dockerignore": "beside"}, None),
        ("docker/app.Dockerfile", {"docker/app.Dockerfile.dockerignore": "specific"}, "x"),
    ],
)
def test_dockerfile_specific_ignore_file_takes_precedence(
    tmp_path: Path, dockerfile: str, ignore_files: dict[str, str], expected: str | None
) -> None:
    if expected == "x":
        expected = "docker/app.Dockerfile.dockerignore"
    write(tmp_path, {dockerfile: "", **ignore_files})
    context = read_build_context(tmp_path / dockerfile, tmp_path, workspace_root=tmp_path)
    if expected is None:
        assert context.dockerignore_path is None
        assert context.dockerignore is None
        return
    assert context.dockerignore_path == str(tmp_path / expected)
    assert context.dockerignore is not None
    assert [p.pattern for p in context.dockerignore.patterns] == [ignore_files[expected]]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path ``context_io`` opens for reading."""
    calls: list[str] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        calls.append(os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", spy)
    return calls


needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")


@needs_symlinks
def test_symlink_out_of_the_workspace_is_not_read(tmp_path: Path, opened: list[str]) -> None:
    workspace, outside = tmp_path / "ws", tmp_path / "outside"
    write(outside, {"secret.json": PACKAGE_JSON, "ignore": "node_modules\n"})
    write(workspace, {"Dockerfile": "", "tsconfig.json": "{}"})
    (workspace / "package.json").symlink_to(outside / "secret.json")
    (workspace / ".dockerignore").symlink_to(outside / "ignore")
    context = read_build_context(workspace / "Dockerfile", workspace_root=workspace)
    assert context.known
    assert context.has_file("package.json") is True  # it exists, as a symlink
    assert context.package_json is None
    assert "package.json" in context.unreadable
    assert context.dockerignore_path == str(workspace / ".dockerignore")
    assert context.dockerignore is None
    assert context.sends_to_daemon("node_modules") is None
    assert not any(str(outside) in path for path in opened)
    assert any(path.endswith("tsconfig.json") for path in opened)


@needs_symlinks
def test_symlink_out_of_the_context_is_not_read_without_a_workspace(
    tmp_path: Path, opened: list[str]
) -> None:
    write(tmp_path, {"shared/package.json": PACKAGE_JSON, "app/Dockerfile": ""})
    (tmp_path / "app" / "package.json").symlink_to(tmp_path / "shared" / "package.json")
    context = read_build_context(tmp_path / "app" / "Dockerfile")
    assert context.package_json is None
    assert "package.json" in context.unreadable
    assert opened == []


@needs_symlinks
def test_symlink_inside_the_workspace_is_followed(tmp_path: Path) -> None:
    write(tmp_path, {"shared/package.json": PACKAGE_JSON, "app/Dockerfile": ""})
    (tmp_path / "app" / "package.json").symlink_to(tmp_path / "shared" / "package.json")
    context = read_build_context(tmp_path / "app" / "Dockerfile", workspace_root=tmp_path)
    assert context.package_json is not None
    assert context.package_json.script("build") == "tsc"


@needs_symlinks
def test_context_outside_the_workspace_is_unknown(tmp_path: Path, opened: list[str]) -> None:
    write(tmp_path, {"ws/Dockerfile": "", "elsewhere/.dockerignore": "x", "elsewhere/a": ""})
    (tmp_path / "ws" / "ctx").symlink_to(tmp_path / "elsewhere")
    workspace = tmp_path / "ws"
    assert read_build_context(workspace / "Dockerfile", workspace / "ctx", workspace) is (
        CONTEXT_EMPTY
    )
    assert read_build_context(workspace / "Dockerfile", tmp_path / "elsewhere", workspace) is (
        CONTEXT_EMPTY
    )
    assert opened == []


@needs_symlinks
def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "", "real/x": ""})
    (tmp_path / "node_modules").symlink_to(tmp_path / "real")
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    context = read_build_context(tmp_path / "Dockerfile")
    assert "node_modules" not in context.directories  # Docker sends the link, not the tree
    assert {"node_modules", "dangling"} <= context.files
    assert context.big_directories_sent() == ()


@needs_symlinks
def test_dangling_ignore_file_is_in_effect_but_unknown(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": ""})
    (tmp_path / ".dockerignore").symlink_to(tmp_path / "missing")
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.has_dockerignore() is True
    assert context.dockerignore is None
    assert context.sends_to_daemon("x") is None
    assert ".dockerignore" in context.unreadable


def test_unreadable_file_becomes_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": "", "package.json": PACKAGE_JSON, ".dockerignore": "x"})
    real_open = os.open

    def deny(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(path).endswith(("package.json", ".dockerignore")):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.known
    assert context.package_json is None
    assert context.dockerignore is None
    assert context.unreadable == {"package.json", ".dockerignore"}
    assert context.sends_to_daemon("x") is None


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind root"
)
def test_file_without_read_permission(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "", "package.json": PACKAGE_JSON})
    (tmp_path / "package.json").chmod(0)
    try:
        context = read_build_context(tmp_path / "Dockerfile")
    finally:
        (tmp_path / "package.json").chmod(0o644)
    assert context.package_json is None
    assert "package.json" in context.unreadable


def test_oversized_files_are_skipped(tmp_path: Path) -> None:
    big = "#" * (MAX_FILE_BYTES + 1)
    write(
        tmp_path,
        {
            "Dockerfile": "",
            "package.json": '{"name": "x"}' + " " * (MAX_FILE_BYTES + 1),
            ".dockerignore": big,
            "tsconfig.json": "{}" + " " * (MAX_FILE_BYTES - 2),  # exactly the limit: read
        },
    )
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.package_json is None
    assert context.dockerignore is None
    assert context.unreadable == {"package.json", ".dockerignore"}
    assert "tsconfig.json" not in context.unreadable


def test_invalid_contents_become_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Dockerfile": "",
            "package.json": b'{"name": "\xff"}',
            "tsconfig.json": "{ not json",
            ".dockerignore": b"node_modules\n\xff\xfe\n[\n",
        },
    )
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.unreadable == {"package.json", "tsconfig.json"}
    assert context.tsconfig_out_dir is None
    assert context.dockerignore is not None  # bad bytes are replaced, bad patterns reported
    assert context.dockerignore.is_excluded("node_modules")
    assert [p.line for p in context.dockerignore.problems] == [2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_opened_for_reading(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": ""})
    os.mkfifo(tmp_path / "package.json")
    os.mkfifo(tmp_path / ".dockerignore")
    context = read_build_context(tmp_path / "Dockerfile")  # would block if it waited on a writer
    assert context.has_file("package.json") is True
    assert context.package_json is None
    assert context.unreadable == {"package.json", ".dockerignore"}


def test_directory_named_like_a_file(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "", "package.json/x": "", ".dockerignore/y": ""})
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.has_file("package.json") is False
    assert context.has_directory("package.json") is True
    assert context.package_json is None
    assert "package.json" not in context.unreadable
    assert context.dockerignore is None  # present but not a file: unknown
    assert context.sends_to_daemon("x") is None


def test_nested_project_files_one_level_down(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Dockerfile": "",
            "App.sln": "",
            "Api/Api.csproj": "",
            "src/Deep/Deep.csproj": "",
            "node_modules/pkg/x.csproj": "",
            ".hidden/H.csproj": "",
        },
    )
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.dependency_files_for(PackageManager.DOTNET) == ("App.sln", "Api/Api.csproj")


def test_root_listing_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context_io, "MAX_ROOT_ENTRIES", 3)
    write(tmp_path, {f"f{i}": "" for i in range(10)})
    write(tmp_path, {"Dockerfile": ""})
    context = read_build_context(tmp_path / "Dockerfile")
    assert context.known
    assert not context.listing_complete
    assert len(context.files) + len(context.directories) == 3
    assert context.has_file("no-such-file") is None


def test_never_walks_below_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": "", "a/b/c/d.txt": "", "e/f.txt": ""})
    scanned: list[str] = []
    real_scandir = os.scandir

    def spy(path: str | os.PathLike[str]) -> object:
        scanned.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", spy)
    read_build_context(tmp_path / "Dockerfile")
    assert sorted(scanned) == sorted([str(tmp_path), str(tmp_path / "a"), str(tmp_path / "e")])


@pytest.mark.parametrize(
    "make",
    [
        lambda root: (root / "missing" / "Dockerfile", None, None),
        lambda root: (root / "Dockerfile", root / "missing", None),
        lambda root: (root / "Dockerfile", root / "Dockerfile", None),  # a file as the context
        lambda root: (root / "Dockerfile", None, root / "missing"),
        lambda root: (root / "Dockerfile", None, root / "sub"),  # context outside the workspace
        lambda root: (root / "Dockerfile", Path("\x00bad"), None),
        lambda root: (root / "Dockerfile", None, Path("\x00bad")),
    ],
)
def test_unusable_locations_give_the_empty_context(tmp_path: Path, make: object) -> None:
    write(tmp_path, {"Dockerfile": "", "sub/x": ""})
    dockerfile, context_dir, workspace = make(tmp_path)  # type: ignore[operator]
    assert read_build_context(dockerfile, context_dir, workspace) is CONTEXT_EMPTY


def test_odd_dockerfile_name_still_reads_its_directory(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": ""})
    context = read_build_context(tmp_path / "not-saved\x00yet")
    assert context.has_file("go.mod") is True
    assert context.has_dockerignore() is False


def test_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": "", "yarn.lock": ""})
    monkeypatch.chdir(tmp_path)
    context = read_build_context(Path("Dockerfile"), workspace_root=Path("."))
    assert context.lockfiles_for(PackageManager.YARN) == ("yarn.lock",)


@pytest.mark.parametrize(
    ("files", "dockerfile"),
    [
        ({".devcontainer/Dockerfile": "FROM x\n"}, ".devcontainer/Dockerfile"),
        ({"app/.devcontainer/base/Dockerfile": "FROM x\n"}, "app/.devcontainer/base/Dockerfile"),
        ({"env/Dockerfile": "FROM x\n", "env/devcontainer.json": "{}"}, "env/Dockerfile"),
        ({"Dockerfile": "FROM x\n", ".devcontainer.json": "{}"}, "Dockerfile"),
    ],
)
def test_a_development_container_is_known_by_its_path(
    tmp_path: Path, files: dict[str, str | bytes], dockerfile: str
) -> None:
    write(tmp_path, files)
    assert read_build_context(tmp_path / dockerfile).devcontainer
    # Also when the context itself cannot be read (here: outside the workspace).
    outside = read_build_context(tmp_path / dockerfile, workspace_root=tmp_path / "elsewhere")
    assert not outside.known and outside.devcontainer


@pytest.mark.parametrize(
    "files",
    [
        {"Dockerfile": "FROM x\n"},
        # devcontainer.json in the context root, not next to the Dockerfile
        {"docker/Dockerfile": "FROM x\n", "devcontainer.json": "{}"},
        {"devcontainers-cli/Dockerfile": "FROM x\n"},
    ],
)
def test_other_dockerfiles_are_not_development_containers(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    write(tmp_path, files)
    dockerfile = next(name for name in files if name.endswith("Dockerfile"))
    assert not read_build_context(tmp_path / dockerfile).devcontainer


def test_composer_path_repositories_are_read() -> None:
    text = (
        '{"repositories": [{"type": "path", "url": "./packages/*"},'
        ' {"type": "vcs", "url": "https://example.com/x.git"}, {"packagist.org": false}]}'
    )
    assert parse_composer_paths(text) == (True, ("./packages/*",))
    named = '{"repositories": {"tool": {"type": "path", "url": "tools/lint"}}}'
    assert parse_composer_paths(named) == (True, ("tools/lint",))
    assert parse_composer_paths('{"require": {}}') == (True, ())
    assert parse_composer_paths("[1, 2]") == (False, ())


def test_the_context_reads_composer_json(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM php:8.2-cli\n")
    (tmp_path / "composer.json").write_text(
        '{"repositories": [{"type": "path", "url": "packages/devtool"}]}'
    )
    assert read_build_context(tmp_path / "Dockerfile").composer_paths == ("packages/devtool",)
    (tmp_path / "composer.json").write_text("{not json")
    broken = read_build_context(tmp_path / "Dockerfile")
    assert broken.composer_paths == () and "composer.json" in broken.unreadable
