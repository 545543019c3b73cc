"""Commands that build: compilers, bundlers, build tools' goals and subcommands,
native compilation, package.json scripts that build (``Phrase``, ``build_of``).

Used by DKL201 (which variants can run a stage that builds), DKL203 (single-stage
build) and DKL204 (a build that needs the development dependencies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockerls.context import PackageJson
from dockerls.rules.programs import program
from dockerls.rules.stages.run_commands import Run
from dockerls.shell import Word
from dockerls.syntax import Span

# Program -> first positional words that build.
_BUILD_SUBCOMMAND: dict[str, frozenset[str]] = {
    "go": frozenset({"build", "install"}),
    "cargo": frozenset({"build", "b", "install", "rustc"}),
    "dotnet": frozenset({"build", "publish", "pack", "msbuild"}),
    "bun": frozenset({"build"}),
    "ng": frozenset({"build"}),
    "vite": frozenset({"build"}),
    "next": frozenset({"build"}),
    "nuxt": frozenset({"build", "generate"}),
    "nuxi": frozenset({"build", "generate"}),
    "react-scripts": frozenset({"build"}),
    "vue-cli-service": frozenset({"build"}),
    "gatsby": frozenset({"build"}),
    "parcel": frozenset({"build"}),
    "nest": frozenset({"build"}),
    "astro": frozenset({"build"}),
    "remix": frozenset({"build"}),
    "svelte-kit": frozenset({"build"}),
    "turbo": frozenset({"build"}),
    "nx": frozenset({"build"}),
    "mix": frozenset({"compile", "release"}),
    "stack": frozenset({"build", "install"}),
    "cabal": frozenset({"build", "install"}),
    "swift": frozenset({"build"}),
    "zig": frozenset({"build"}),
    "dune": frozenset({"build"}),
    "poetry": frozenset({"build"}),
    "uv": frozenset({"build"}),
    "hatch": frozenset({"build"}),
    "pdm": frozenset({"build"}),
    "lein": frozenset({"uberjar", "jar", "compile"}),
}
# Program -> goals or tasks that build, wherever they appear among the positionals.
_BUILD_GOAL: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("mvn", "mvnw"), frozenset({"compile", "package", "verify", "install", "deploy"})
    ),
    **dict.fromkeys(
        ("gradle", "gradlew"),
        frozenset(
            {"build", "assemble", "jar", "bootJar", "bootWar", "war", "shadowJar", "installDist"}
            | {"distTar", "distZip", "classes", "compileJava", "compileKotlin", "nativeCompile"}
        ),
    ),
    "sbt": frozenset({"compile", "package", "assembly", "stage", "universal:packageBin"}),
    **dict.fromkeys(("rake", "rails"), frozenset({"assets:precompile", "webpacker:compile"})),
}
# Programs that build whatever their arguments.
_BUILD_PROGRAM = frozenset(
    {"tsc", "webpack", "esbuild", "rollup", "javac", "kotlinc", "scalac", "rustc", "msbuild"}
)
# JavaScript builds run with devDependencies (bundlers, compilers, frameworks' CLIs).
_NODE_BUILD_PROGRAM = frozenset(
    {"tsc", "webpack", "esbuild", "rollup", "bun", "ng", "vite", "next", "nuxt", "nuxi"}
    | {"react-scripts", "vue-cli-service", "gatsby", "parcel", "nest", "astro", "remix"}
    | {"svelte-kit", "turbo", "nx"}
)
# Native compilation: counts only while a C toolchain stays in the image.
_NATIVE_PROGRAM = frozenset(
    {"make", "gmake", "ninja", "gcc", "g++", "cc", "c++", "clang", "clang++", "cmake"}
    | {"configure", "node-gyp", "phpize", "docker-php-ext-install"}
)
_SETUP_PY_BUILDS = frozenset({"build", "build_ext", "bdist_wheel", "bdist_egg", "install"})
_BUILD_SCRIPT = re.compile(r"(build|compile|dist|bundle|generate|export)([:_.-].*)?$", re.I)


_RUNNER_BUILTINS = frozenset(
    {"install", "i", "ci", "add", "remove", "global", "cache", "config", "exec", "dlx"}
    | {"workspace", "workspaces", "why", "info", "link", "prune", "set", "up", "upgrade"}
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A command up to the word that says what it does: ``npm run build``, ``go build``."""

    run: Run
    last: Word  # the deciding word: ``build`` in ``npm run build``
    native: bool = False  # compiles with a C toolchain
    node: bool = False  # a JavaScript build, which runs with devDependencies

    @property
    def span(self) -> Span:
        return self.run.words(self.last)

    @property
    def text(self) -> str:
        return self.run.text(self.last)


def script_word(run: Run) -> Word | None:
    """The package.json script a ``npm run x`` / ``yarn x`` / ``pnpm x`` / ``bun run x`` runs."""
    cmd = run.program
    positionals = cmd.positionals()
    if cmd.name not in ("npm", "yarn", "pnpm", "bun") or not positionals:
        return None
    first = positionals[0]
    if first.text in ("run", "run-script", "rum", "urn"):
        return positionals[1] if len(positionals) > 1 else None
    if cmd.name in ("yarn", "pnpm") and first.text not in _RUNNER_BUILTINS:
        return first
    if cmd.name == "npm" and first.text in ("test", "t", "tst", "start"):
        return first
    return None


def _runs_build_tool(command_line: str) -> bool:
    """Whether a package.json script's command line runs a build tool."""
    words = [w.rsplit("/", 1)[-1] for w in re.split(r"[\s;&|()]+", command_line) if w]
    for i, word in enumerate(words):
        if word in _BUILD_PROGRAM:
            return True
        if words[i + 1 : i + 2] and words[i + 1] in _BUILD_SUBCOMMAND.get(word, ()):
            return True
    return False


def build_of(run: Run, package_json: PackageJson | None) -> Phrase | None:
    """The build a command performs, if it is one."""
    cmd = run.program
    name = cmd.name.lower().removesuffix(".exe")
    positionals = cmd.positionals()
    node = name in _NODE_BUILD_PROGRAM
    first = positionals[0].text if positionals else None
    if name in _BUILD_PROGRAM:
        return Phrase(run, cmd.argv[0], node=node)
    if name in _NATIVE_PROGRAM:
        return Phrase(run, cmd.argv[0], native=True)
    if (name, first) in (("pecl", "install"), ("meson", "compile")):
        return Phrase(run, positionals[0], native=True)
    if first in _BUILD_SUBCOMMAND.get(name, ()):
        return Phrase(run, positionals[0], node=node)
    goals = _BUILD_GOAL.get(name, frozenset())
    for word in positionals if goals else ():
        if word.text in goals or word.text.rsplit(":", 1)[-1] in goals:
            return Phrase(run, word)
    if name == "build" and [w.text for w in cmd.prefix_words[-1:]] == ["-m"]:
        return Phrase(run, cmd.argv[0])  # python -m build
    if program(name) == "python" and (first or "").endswith("setup.py") and len(positionals) > 1:
        found = positionals[1]
        return Phrase(run, found, native=True) if found.text in _SETUP_PY_BUILDS else None
    script = script_word(run)
    if script is not None:
        command_line = package_json.script(script.text) if package_json is not None else None
        if _BUILD_SCRIPT.match(script.text) or (
            command_line is not None and _runs_build_tool(command_line)
        ):
            return Phrase(run, script, node=True)
    return None
