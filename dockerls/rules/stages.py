"""Stages, base images and dependencies: what the final image carries besides the app.

DKL201 to DKL206 look at what ships: a full language or SDK base image, compilers
and headers, a single stage that builds, development dependencies, ``npm
install`` where ``npm ci`` belongs, and a stage's whole filesystem copied into
another. The size rules look only at stages whose layers reach the final image
(``ctx.ships``); DKL205 looks at every stage. ONBUILD triggers count as the
instructions they will run.

Shell commands come from ``ctx.script``, base-image facts from ``ctx.image``
(``dockerls.knowledge.images``), the variables each command sees from
``common.steps`` and ``common.command_scopes``, and which commands install a
project's dependencies from ``managers.dependency_step``; the rest is tables of
commands.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from dockerls.context import PackageJson, PackageManager
from dockerls.dockerignore import go_clean
from dockerls.findings import Fix, Related, TextEdit
from dockerls.knowledge.images import Alternative, ImageInfo, Size, alternatives, package_kind
from dockerls.rules.common import (
    ROOT_HOME,
    Step,
    command_scopes,
    context_sources,
    from_span,
    in_exec_form,
    insert_after,
    line_no,
    mounts,
    operands,
    program,
    resolve,
    step_of,
    steps,
    unwrap,
)
from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.managers import (
    NPM_CI,
    PACKAGE_INSTALLS,
    PACKAGE_REMOVALS,
    dependency_step,
    package_name,
)
from dockerls.shell import Command, Word
from dockerls.syntax import Instruction, Severity, Span, Stage, Token
from dockerls.syntax.variables import expand

_MULTI_STAGE = "https://docs.docker.com/build/building/multi-stage/"
_BEST_PRACTICES = "https://docs.docker.com/build/building/best-practices/"

# =========================================================================== shell words

_NODE_RUNNERS = frozenset({"npx", "bunx", "pnpx"})


def _sub(cmd: Command) -> str | None:
    """The subcommand's text (``install`` in ``apt-get -y install x``)."""
    word = cmd.subcommand()
    return None if word is None else word.text


def _unwrap(cmd: Command) -> Command:
    """The program that does the work (``unwrap``); ``uv pip install`` reads as ``pip
    install``, whose options and requirement files it takes."""
    cmd = unwrap(cmd)
    if cmd.name == "uv" and [w.text for w in cmd.args[:1]] == ["pip"]:
        cmd = unwrap(cmd.shifted(1))
    return cmd


def _replace_word(ins: Instruction, word: Word, text: str) -> TextEdit:
    return TextEdit(word.span, f'"{text}"' if in_exec_form(ins, word) else text)


def _expanded(word: Word, variables: Mapping[str, str]) -> list[str] | None:
    """The words ``word`` stands for once ``$VAR`` is replaced; None when unknown."""
    if not word.dynamic:
        return [word.text]
    value = expand(word.text, variables)
    return None if value is None else value.split()


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in ("", "0", "false", "no", "off")


def _npm_config(env: Mapping[str, str], key: str) -> str | None:
    """An npm setting from the environment: ``npm_config_<key>`` in any case."""
    wanted = f"npm_config_{key}"
    return next((v for k, v in env.items() if k.lower() == wanted), None)


# =========================================================================== environment


@dataclass(frozen=True, slots=True)
class _Run:
    """One command of a RUN, with the variables in effect for it."""

    step: Step
    command: Command  # as the shell layer gives it
    program: Command  # ``_unwrap``ped: the program that does the work
    env: Mapping[str, str]  # exported variables the program sees
    shell_vars: Mapping[str, str]  # plus plain shell assignments: what ``$X`` expands to
    cwd: str | None  # its working directory; None after a ``cd`` to somewhere unknown

    @property
    def start(self) -> Word:
        """The first word of the command as written (``npx`` in ``npx tsc``)."""
        return self.command.argv[0]

    def words(self, last: Word) -> Span:
        """From the start of the command to ``last``: ``npm run build``."""
        return Span(self.start.span.start, last.span.end)

    def text(self, last: Word) -> str:
        """The words from the start of the command to ``last``, for messages."""
        end = last.span.end
        return " ".join(w.text for w in self.command.argv if w.span.end <= end)


def _commands(ctx: RuleContext, step: Step) -> tuple[_Run, ...]:
    """The commands of a RUN step, each with the variables in effect for it."""
    commands = ctx.script(step.ins).commands
    return tuple(
        _Run(step, cmd, _unwrap(cmd), scope.env, scope.vars, scope.cwd)
        for cmd, scope in zip(commands, command_scopes(ctx, step), strict=True)
    )


def _runs(ctx: RuleContext, step: Step) -> tuple[_Run, ...]:
    """The commands of a RUN step (none for other instructions), worked out once."""
    if step.ins.name != "RUN":
        return ()
    return ctx.memo_each(_commands, step, id(step.ins))


def _chain_runs(ctx: RuleContext, stage: Stage) -> list[_Run]:
    """Every RUN command of the stage's FROM chain, root first."""
    return [r for s in ctx.graph.chain(stage) for step in steps(ctx, s) for r in _runs(ctx, step)]


def _shipping(ctx: RuleContext) -> list[Stage]:
    return [s for s in ctx.document.stages if ctx.ships(s)]


def _stage_label(stage: Stage) -> str:
    """A stage as ``COPY --from`` names it: its AS name, or its index."""
    return stage.name.text if stage.name is not None else str(stage.index)


# =========================================================================== OS packages


@dataclass(frozen=True, slots=True)
class _BuildPackage:
    run: _Run
    word: Word  # the package word as written (possibly ``$BUILD_DEPS``)
    names: tuple[str, ...]  # the build packages it stands for


def _bare(package: str) -> str:
    return package_name(package.strip("\"'")).lower()


def _kept_build_packages(runs: Sequence[_Run]) -> Iterator[_BuildPackage]:
    """Build packages the commands of one RUN install and do not remove again."""
    for i, run in enumerate(runs):
        cmd = run.program
        if _sub(cmd) not in PACKAGE_INSTALLS.get(cmd.name, ()):
            continue
        removed, everything = _removed(runs[i + 1 :], runs)
        virtual = cmd.option_value("--virtual", "-t") if cmd.name == "apk" else None
        if everything or (virtual is not None and virtual.text.lower() in removed):
            continue
        for word in cmd.positionals()[1:]:
            names = _expanded(word, run.shell_vars)
            build = tuple(
                n
                for n in ([word.text] if names is None else names)
                if package_kind(n, cmd.name) == "build" and _bare(n) not in removed
            )
            if build:
                yield _BuildPackage(run, word, build)


def _removed(later: Sequence[_Run], script: Sequence[_Run]) -> tuple[set[str], bool]:
    """Package names the ``later`` commands remove; True when they may remove anything.

    ``apt-get purge --auto-remove`` after ``apt-mark auto`` (the pattern of the
    official images) and a removal list that cannot be expanded count as
    removing everything installed before.
    """
    marked_auto = any(r.program.name == "apt-mark" and _sub(r.program) == "auto" for r in script)
    names: set[str] = set()
    for run in later:
        cmd = run.program
        sub = _sub(cmd)
        if sub not in PACKAGE_REMOVALS.get(cmd.name, ()):
            continue
        if marked_auto and (sub == "autoremove" or cmd.has_option("--auto-remove", "--autoremove")):
            return names, True
        for word in cmd.positionals()[1:]:
            expanded = _expanded(word, run.shell_vars)
            if expanded is None:
                return names, True
            names.update(_bare(n) for n in expanded)
    return names, False


_VS_BUILD_TOOLS = re.compile(r"(.*[\\/])?vs_buildtools(\.exe)?", re.IGNORECASE)


def _vs_build_tools(run: _Run) -> Word | None:
    """The Visual Studio Build Tools installer (MSBuild, MSVC), run directly or by ``start``."""
    argv = run.command.argv
    if run.command.name.lower() == "start":
        argv = tuple(w for w in argv[1:] if not w.text.startswith(("/", "-")))[:1]
    return next((w for w in argv[:1] if _VS_BUILD_TOOLS.fullmatch(w.text)), None)


def _ships_toolchain(info: ImageInfo) -> bool:
    """A base image whose point is building: golang, rust, maven, a JDK, an SDK.

    The default tags of language runtimes (node, python, ruby and images built on
    them) carry gcc and make only because they derive from buildpack-deps; that
    is DKL201's finding. A JDK is a full variant of a language family too, but
    javac is what it is for.
    """
    incidental = (
        info.category == "language" and info.kind == "full" and not info.variant.startswith("jdk")
    )
    return info.is_toolchain and not incidental


# =========================================================================== builds

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
_TEST_SCRIPT = re.compile(r"(test|e2e|lint|check|typecheck|type-check|coverage)([:_.-].*)?$", re.I)
_TEST_PROGRAM: dict[str, str] = {
    **dict.fromkeys(
        ("jest", "vitest", "mocha", "ava", "eslint", "cypress", "playwright", "karma"), "node"
    ),
    **dict.fromkeys(("pytest", "tox", "nox", "mypy", "ruff", "flake8"), "python"),
    **dict.fromkeys(("rspec", "rubocop"), "ruby"),
    **dict.fromkeys(("phpunit", "pest", "phpstan"), "php"),
}
_RUNNER_BUILTINS = frozenset(
    {"install", "i", "ci", "add", "remove", "global", "cache", "config", "exec", "dlx"}
    | {"workspace", "workspaces", "why", "info", "link", "prune", "set", "up", "upgrade"}
)


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A command up to the word that says what it does: ``npm run build``, ``go build``."""

    run: _Run
    last: Word  # the deciding word: ``build`` in ``npm run build``
    native: bool = False  # compiles with a C toolchain
    node: bool = False  # a JavaScript build, which runs with devDependencies

    @property
    def span(self) -> Span:
        return self.run.words(self.last)

    @property
    def text(self) -> str:
        return self.run.text(self.last)


def _script_word(run: _Run) -> Word | None:
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


def _build(run: _Run, package_json: PackageJson | None) -> _Phrase | None:
    """The build a command performs, if it is one."""
    cmd = run.program
    name = cmd.name.lower().removesuffix(".exe")
    positionals = cmd.positionals()
    node = name in _NODE_BUILD_PROGRAM
    first = positionals[0].text if positionals else None
    if name in _BUILD_PROGRAM:
        return _Phrase(run, cmd.argv[0], node=node)
    if name in _NATIVE_PROGRAM:
        return _Phrase(run, cmd.argv[0], native=True)
    if (name, first) in (("pecl", "install"), ("meson", "compile")):
        return _Phrase(run, positionals[0], native=True)
    if first in _BUILD_SUBCOMMAND.get(name, ()):
        return _Phrase(run, positionals[0], node=node)
    goals = _BUILD_GOAL.get(name, frozenset())
    for word in positionals if goals else ():
        if word.text in goals or word.text.rsplit(":", 1)[-1] in goals:
            return _Phrase(run, word)
    if name == "build" and [w.text for w in cmd.prefix_words[-1:]] == ["-m"]:
        return _Phrase(run, cmd.argv[0])  # python -m build
    if program(name) == "python" and (first or "").endswith("setup.py") and len(positionals) > 1:
        found = positionals[1]
        return _Phrase(run, found, native=True) if found.text in _SETUP_PY_BUILDS else None
    script = _script_word(run)
    if script is not None:
        command_line = package_json.script(script.text) if package_json is not None else None
        if _BUILD_SCRIPT.match(script.text) or (
            command_line is not None and _runs_build_tool(command_line)
        ):
            return _Phrase(run, script, node=True)
    return None


def _tests(run: _Run) -> str | None:
    """The ecosystem whose test or lint tools a command runs (dev dependencies), if any."""
    script = _script_word(run)
    if script is not None:
        return "node" if _TEST_SCRIPT.match(script.text) else None
    return _TEST_PROGRAM.get(run.program.name)


# =========================================================================== dependencies


@dataclass(frozen=True, slots=True)
class _DevInstall:
    """A dependency install that brings development dependencies."""

    run: _Run
    word: Word  # what to underline: the install word, or the requirements file
    tool: str  # "npm ci", "poetry install"
    ecosystem: str  # "node", "python", "ruby", "php"
    why: str  # what lets the dev dependencies in
    remedy: str  # what to change
    flag: str | None = None  # the flag that leaves them out, when adding it is all it takes
    flag_caveat: str | None = None  # why adding the flag may not work everywhere
    presumed: bool = False  # only if the project declares them (uv's default dev group)


@dataclass(frozen=True, slots=True)
class _Scope:
    """What earlier instructions configured for the installs that follow."""

    bundle_without: bool = False  # ``bundle config set without …`` ran
    old_npm: bool = False  # Node < 15: npm 6 or older, which knows --production, not --omit


_DEV_FILE = re.compile(
    r"(^|[-_./])(dev|devel|develop|development|test|tests|testing|lint)([-_.]|$)"
)
_DEV_EXTRA = re.compile(r"\[([^\]]*)\]")
_DEV_EXTRA_NAMES = frozenset({"dev", "devel", "develop", "development", "test", "tests", "testing"})
_DEV_GROUPS = _DEV_EXTRA_NAMES | {"lint", "typing", "docs"}


def _option_values(cmd: Command, *names: str) -> list[str]:
    """The values of options ``names``, each split on commas."""
    return [
        part.strip().lower()
        for o in cmd.options()
        if o.name in names
        for part in (o.value.text if o.value else "").split(",")
    ]


def _flag_off(cmd: Command, *names: str) -> bool:
    """Whether one of the boolean options ``names`` is given and not set to false."""
    for opt in cmd.options():
        if opt.name in names:
            value = opt.value.text.lower() if opt.value else "true"
            if value not in ("false", "0", "no"):
                return True
    return False


def _node_production(run: _Run) -> bool:
    return (run.env.get("NODE_ENV") or "").strip().lower() == "production"


def _install_word(cmd: Command, subcommands: Iterable[str]) -> Word | None:
    """The subcommand that makes ``cmd`` an install, when it is one of ``subcommands``."""
    word = cmd.subcommand()
    return word if word is not None and word.text in subcommands else None


_NODE_ENV_UNSET = "NODE_ENV is not production"


def _npm_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    if (
        "dev" in _option_values(cmd, "--omit")
        or any(v.startswith("prod") for v in _option_values(cmd, "--only"))
        or _flag_off(cmd, "--production", "--prod")
        or _node_production(run)
        or _truthy(_npm_config(run.env, "production"))
        or "dev" in (_npm_config(run.env, "omit") or "").lower()
    ):
        return None
    flag = "--production" if scope.old_npm else "--omit=dev"
    return _DevInstall(
        run,
        word,
        f"npm {word.text}",
        "node",
        f"no {flag}, {_NODE_ENV_UNSET}",
        f"add `{flag}`",
        flag,
    )


def _yarn_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    if (
        _flag_off(cmd, "--production", "--prod")
        or _node_production(run)
        or _truthy(run.env.get("YARN_PRODUCTION"))
    ):
        return None
    return _DevInstall(
        run,
        word,
        "yarn install" if word is not cmd.argv[0] else "yarn",
        "node",
        f"no --production, {_NODE_ENV_UNSET}",
        "add `--production` (Yarn 1) or run `yarn workspaces focus --production` (Yarn 2+)",
    )


def _pnpm_bun_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    flags = ("--prod", "-P", "--production") if cmd.name == "pnpm" else ("--production", "-p")
    if _flag_off(cmd, *flags) or _node_production(run):
        return None
    flag = flags[0]
    return _DevInstall(
        run,
        word,
        f"{cmd.name} {word.text}",
        "node",
        f"no {flag}, {_NODE_ENV_UNSET}",
        f"add `{flag}`",
        flag,
    )


def _poetry_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    only = _option_values(cmd, "--only")
    if (
        (only and "dev" not in only)
        or "dev" in _option_values(cmd, "--without")
        or cmd.has_option("--no-dev", "--only-root")
    ):
        return None
    return _DevInstall(
        run,
        word,
        f"poetry {word.text}",
        "python",
        "no --only main",
        "add `--only main`",
        "--only main",
        "Poetry ≥ 1.2",
    )


def _uv_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    if cmd.has_option("--only-dev"):
        return _DevInstall(run, word, "uv sync", "python", "--only-dev", "drop `--only-dev`")
    if (
        cmd.has_option("--no-dev", "--only-group", "--no-default-groups")
        or "dev" in _option_values(cmd, "--no-group")
        or _truthy(run.env.get("UV_NO_DEV"))
        or _truthy(run.env.get("UV_NO_DEFAULT_GROUPS"))
    ):
        return None
    return _DevInstall(
        run,
        word,
        "uv sync",
        "python",
        "the dev group is synced by default; no --no-dev, UV_NO_DEV unset",
        "add `--no-dev`",
        "--no-dev",
        presumed=True,
    )


def _pip_dev(run: _Run) -> _DevInstall | None:
    cmd = run.program
    if _sub(cmd) != "install":
        return None
    for opt in cmd.options():
        value = opt.value
        if opt.name not in ("-r", "--requirement") or value is None:
            continue
        if _DEV_FILE.search(value.text.lower().removesuffix(".txt")):
            return _DevInstall(
                run,
                value,
                "pip install",
                "python",
                f"from {value.text}",
                "install the production requirements only",
            )
    for opt in cmd.options():
        # pip 25.1 dependency groups: ``--group dev``, ``--group pyproject.toml:test``.
        group = opt.value.text.rsplit(":", 1)[-1].lower() if opt.value else ""
        if opt.name == "--group" and opt.value is not None and group in _DEV_GROUPS:
            return _DevInstall(
                run,
                opt.value,
                "pip install",
                "python",
                f"the {group} dependency group",
                "install without the development group",
            )
    candidates = [*cmd.positionals()[1:], *(o.value for o in cmd.options() if o.value)]
    for word in candidates:
        for extras in _DEV_EXTRA.findall(word.text):
            if {e.strip().lower() for e in extras.split(",")} & _DEV_EXTRA_NAMES:
                return _DevInstall(
                    run,
                    word,
                    "pip install",
                    "python",
                    f"the extras of {word.text}",
                    "install the package without its development extras",
                )
    return None


def _pipenv_dev(run: _Run) -> _DevInstall | None:
    cmd = run.program
    sub = _sub(cmd)
    opt = cmd.option("--dev", "-d") if sub in ("install", "sync") else None
    if opt is None:
        return None
    return _DevInstall(run, opt.word, f"pipenv {sub}", "python", "--dev", "drop `--dev`")


def _bundle_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    if (
        scope.bundle_without
        or cmd.has_option("--without")
        or (run.env.get("BUNDLE_WITHOUT") or "").strip()
        or (run.env.get("BUNDLE_ONLY") or "").strip()
    ):
        return None
    return _DevInstall(
        run,
        word,
        "bundle install" if word is not cmd.argv[0] else "bundle",
        "ruby",
        "BUNDLE_WITHOUT unset",
        "set `ENV BUNDLE_WITHOUT=development:test` before it",
    )


def _bundle_configures_without(run: _Run) -> bool:
    """``bundle config [set] [--local|--global] without development test``."""
    cmd = run.program
    texts = [w.text for w in cmd.positionals()]
    if cmd.name not in ("bundle", "bundler") or texts[:1] != ["config"]:
        return False
    rest = texts[2:] if texts[1:2] == ["set"] else texts[1:]
    return rest[:1] in (["without"], ["only"]) and len(rest) > 1


def _composer_dev(run: _Run, word: Word, scope: _Scope) -> _DevInstall | None:
    cmd = run.program
    if cmd.has_option("--no-dev") or _truthy(run.env.get("COMPOSER_NO_DEV")):
        return None
    return _DevInstall(
        run, word, f"composer {word.text}", "php", "no --no-dev", "add `--no-dev`", "--no-dev"
    )


# How each package manager's project install brings in development dependencies.
_DEV_CHECKS: dict[PackageManager, Callable[[_Run, Word, _Scope], _DevInstall | None]] = {
    PackageManager.NPM: _npm_dev,
    PackageManager.YARN: _yarn_dev,
    PackageManager.PNPM: _pnpm_bun_dev,
    PackageManager.BUN: _pnpm_bun_dev,
    PackageManager.POETRY: _poetry_dev,
    PackageManager.UV: _uv_dev,
    PackageManager.BUNDLER: _bundle_dev,
    PackageManager.COMPOSER: _composer_dev,
}
_NODE_MANAGERS = frozenset(
    {PackageManager.NPM, PackageManager.YARN, PackageManager.PNPM, PackageManager.BUN}
)


def _project_install(
    run: _Run, managers: Iterable[PackageManager]
) -> tuple[PackageManager, Word] | None:
    """The manager and install word when the command installs the project's dependencies
    (not a tool, not only into a cache) with one of ``managers``."""
    step = dependency_step(run.program)
    if step is None or step.download_only or step.manager not in managers:
        return None
    return step.manager, step.word


def _dev_install(run: _Run, scope: _Scope) -> _DevInstall | None:
    name = program(run.program.name)
    if name == "pipenv":
        return _pipenv_dev(run)
    if name == "pip":
        return _pip_dev(run)
    found = _project_install(run, _DEV_CHECKS)
    return _DEV_CHECKS[found[0]](run, found[1], scope) if found is not None else None


def _node_install(run: _Run) -> Word | None:
    """The install word of a project install by npm, yarn, pnpm or bun."""
    found = _project_install(run, _NODE_MANAGERS)
    return found[1] if found is not None else None


def _prunes(run: _Run, ecosystem: str) -> bool:
    """Whether a later command removes the development dependencies again."""
    cmd = run.program
    texts = [w.text for w in cmd.positionals()]
    if ecosystem == "node":
        if cmd.name in ("npm", "pnpm") and texts[:1] == ["prune"]:
            return (
                "dev" in _option_values(cmd, "--omit")
                or _flag_off(cmd, "--production", "--prod")
                or _node_production(run)
            )
        if cmd.name == "yarn" and texts[:2] == ["workspaces", "focus"]:
            return _flag_off(cmd, "--production")
        # A later production install (npm ci starts from scratch, the others prune).
        return _node_install(run) is not None and _dev_install(run, _Scope()) is None
    found = _project_install(run, (PackageManager.UV,)) if ecosystem == "python" else None
    # uv sync removes what the lockfile selection leaves out.
    return found is not None and _uv_dev(run, found[1], _Scope()) is None


# --------------------------------------------------------------------------- test images

_TEST_IMAGE = re.compile(r"cypress|playwright|puppeteer|selenium")


def _image_command(ctx: RuleContext, stage: Stage) -> list[_Run]:
    """The commands of the CMD and ENTRYPOINT in effect for the stage (the last of each)."""
    last: dict[str, Step] = {}
    for s in ctx.graph.chain(stage):
        for step in steps(ctx, s):
            if step.ins.name in ("CMD", "ENTRYPOINT"):
                last[step.ins.name] = step
    return [
        _Run(step, cmd, _unwrap(cmd), step.env, step.env, step.cwd)
        for step in last.values()
        for cmd in ctx.script(step.ins).commands
    ]


def _test_image(ctx: RuleContext, stage: Stage) -> bool:
    """A test image (cypress, playwright, a command running tests): dev dependencies belong."""
    if _TEST_IMAGE.search((ctx.graph.root(stage).resolved_image or "").lower()):
        return True
    if any(_tests(run) for run in _image_command(ctx, stage)):
        return True
    return any(
        run.program.name in ("cypress", "playwright") and _sub(run.program) in ("install", "verify")
        for run in _chain_runs(ctx, stage)
    )


# =========================================================================== DKL201


def _image_token_span(stage: Stage) -> Span | None:
    """The tag of a FROM image (the repository when there is no tag)."""
    if stage.image is None:
        return None
    token: Token = stage.image.tag if stage.image.tag is not None else stage.image.repository
    return token.span


def _size_text(size: Size | None, kind: str) -> str:
    """`` ~234 MB`` (the kind named when it differs from the one compared against)."""
    if size is None:
        return ""
    if size.mb == 0:
        return " (empty)"
    amount = f"{size.mb:.0f}" if size.mb >= 100 else f"{size.mb:g}"
    return f" ~{amount} MB" + ("" if size.kind == kind else f" {size.kind}")


def _reference_edit(root: Stage, info: ImageInfo, reference: str) -> TextEdit | None:
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
    for stage in _shipping(ctx):
        for step in steps(ctx, stage):
            ins = step.ins
            needs_shell = (
                needs_shell
                or ins.name == "RUN"
                or (ins.name in ("CMD", "ENTRYPOINT") and ins.is_shell_form)
            )
            builds = builds or any(_build(r, package_json) for r in _runs(ctx, step))
    for alt in alts:
        edit = _reference_edit(root, info, alt.reference)
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
            _BEST_PRACTICES,
        ),
    ),
)
def full_language_base(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    if final is None:
        return
    info = ctx.image(final)
    root = ctx.graph.root(final)
    span = _image_token_span(root)
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


# =========================================================================== DKL202


@rule(
    "DKL202",
    "build-tools-in-final-image",
    Category.BLOAT,
    Severity.WARNING,
    summary="Compilers, headers or an SDK end up in the final image.",
    docs=RuleDocs(
        what="A stage that ships installs build packages (build-essential, gcc, g++, make, "
        "cmake, `*-dev`/`*-devel` headers, build-base, musl-dev, linux-headers…) and does "
        "not remove them in the same RUN, or the final image is built on a toolchain image "
        "(golang, rust, maven, gradle, a JDK, the .NET SDK, buildpack-deps, CUDA devel). "
        "Removing the packages in the same RUN, as the official images do (`apt-get purge "
        "--auto-remove`, `apk add --virtual .build-deps … && apk del .build-deps`), is not "
        "flagged; neither are build stages whose results are copied out. The compilers "
        "that come with full node/python/ruby images are DKL201's finding.",
        why="A C toolchain with headers weighs 100 to 250 MB: in `node:24` the compilers and "
        "`-dev` packages are a 236 MB compressed layer, in `golang:1.25` gcc and friends "
        "are 102 MB next to a 60 MB Go toolchain (linux/amd64, docker-library/repo-info, "
        "2026-Q3). They are never used at run time, but they are pulled, stored and "
        "scanned, and they hand an attacker a compiler.",
        example="FROM python:3.12-slim\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends gcc libpq-dev \\\n    && pip install --no-cache-dir -r "
        "requirements.txt \\\n    && rm -rf /var/lib/apt/lists/*",
        instead="FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends gcc libpq-dev\nRUN python -m venv /venv && /venv/bin/pip "
        "install --no-cache-dir -r requirements.txt\n\nFROM python:3.12-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /venv /venv",
        fix_safety="No quick fix: the remedy is a multi-stage build (build in one stage, "
        "copy the result onto a runtime image) or removing the packages in the RUN that "
        'installed them. In a single-stage file the refactoring "Split into build and '
        'runtime stages" (`dockerls fix --split`) does the first for Node, Python, Go, Java '
        "and Rust; see docs/split.md.",
        references=(_MULTI_STAGE, _BEST_PRACTICES),
    ),
)
def build_tools_in_final_image(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    info = ctx.image(final) if final is not None else None
    if final is not None and info is not None and _ships_toolchain(info):
        root = ctx.graph.root(final)
        span = _image_token_span(root)
        if span is not None:
            best = alternatives(info)
            instead = f"`{best[0].reference}`" if best else "a runtime image"
            yield Hit(
                span,
                f"`{info.reference}` is a build image ({info.family_name}: "
                f"{info.variant_label}), so its compiler and SDK ship with the application. "
                f"Build in a stage FROM it and copy the result onto {instead}.",
            )
    for stage in _shipping(ctx):
        for step in steps(ctx, stage):
            runs = _runs(ctx, step)
            for package in _kept_build_packages(runs):
                yield Hit(package.word.span, _build_package_message(package))
            for run in runs:
                installer = _vs_build_tools(run)
                if installer is not None:
                    yield Hit(
                        installer.span,
                        "The Visual Studio Build Tools installer puts MSBuild and the "
                        "compilers into an image that ships; build in a separate stage "
                        "and copy the output onto a runtime image.",
                    )
                    break


_HEADERS = re.compile(r"-(dev|devel|headers)(-|$)")


def _build_package_message(package: _BuildPackage) -> str:
    cmd = package.run.program
    names = " ".join(package.names)
    if package.word.dynamic:
        what = f"`{package.word.text}` installs build packages ({names}), which stay"
    elif _HEADERS.search(package.names[0]):
        what = f"`{names}` holds development headers that stay"
    else:
        what = f"`{names}` is build tooling that stays"
    if cmd.name == "apk":
        remedy = "`apk add --virtual .build-deps …` with `apk del .build-deps` at its end"
    elif cmd.name in ("apt-get", "apt", "aptitude"):
        remedy = f"`apt-get purge -y --auto-remove {names}` at its end"
    else:
        remedy = f"`{cmd.name} remove {names}` at its end"
    pronoun = "them" if package.word.dynamic or len(package.names) > 1 else "it"
    return (
        f"{what} in the final image: nothing later in this RUN removes {pronoun}. Compile "
        f"in an earlier stage and copy the result, or use {remedy}."
    )


# =========================================================================== DKL203


def _single_stage_build(ctx: RuleContext) -> Hit | None:
    """The build in a one-stage Dockerfile: an explicit build first, then native compiling.

    Native compilation (``make``, ``pecl install``, ``pip install`` building
    wheels) counts only while a compiler stays in the image: the base image is a
    toolchain, or a compiler was installed and not removed in its RUN (``-dev``
    headers alone compile nothing). A RUN that installs build packages and removes
    them again (the official images' pattern) is not reported for what it compiles,
    nor for a build whose toolchain it removes. The Debian php images keep a compiler
    ($PHPIZE_DEPS) but do not count as toolchains: there a kept build package (headers)
    is what makes ``docker-php-ext-install`` a build, as before.
    """
    if len(ctx.document.stages) != 1:
        return None
    stage = ctx.document.stages[0]
    info = ctx.image(stage)
    base_has_toolchain = info is not None and info.is_toolchain
    # The Debian variants of the php images keep $PHPIZE_DEPS (gcc, make) installed.
    base_compiles = base_has_toolchain or (
        info is not None and info.family == "php" and info.libc != "musl"
    )
    package_json = ctx.build_context.package_json
    from_related = Related(from_span(stage), "the only stage: what it builds with ships")
    kept: _BuildPackage | None = None  # the first build package that stays installed
    compiler: _BuildPackage | None = None  # the first that compiles
    native: Hit | None = None
    for step in steps(ctx, stage):
        runs = _runs(ctx, step)
        here = [] if step.onbuild else list(_kept_build_packages(runs))
        kept = kept or next(iter(here), None)
        compiler = compiler or next((p for p in here if _compiles(p)), None)
        purged = not here and _purges_build_packages(runs)
        for run in runs:
            build = _build(run, package_json)
            if build is not None and not build.native:
                if purged and not build.node and not base_has_toolchain:
                    continue
                return Hit(
                    build.span,
                    f"`{build.text}` builds in the only stage, so its toolchain, caches and "
                    "sources ship with the result; build in a first stage and copy the "
                    "output into a runtime stage.",
                    related=(from_related,),
                )
            with_ = compiler or (kept if base_compiles else None)
            if native is not None or purged or not (base_has_toolchain or with_):
                continue
            if build is not None:
                native = Hit(
                    build.span,
                    f"`{build.text}` compiles in the only stage, so the compiler it uses "
                    "ships with the result; compile in a first stage and copy the output "
                    "into a runtime stage.",
                    related=(from_related,),
                )
            install = None if step.onbuild or with_ is None else _compiling_install(run)
            if install is not None and with_ is not None:
                native = Hit(
                    run.words(install),
                    f"`{run.text(install)}` can compile native extensions with the build "
                    f"packages installed on line {line_no(with_.word.span)} "
                    f"(`{with_.word.text}`), which stay in the only stage and ship with the "
                    "application; install in a build stage and copy the result.",
                    related=(from_related, Related(with_.word.span, "build package kept here")),
                )
    return native


# Build packages that compile (a C, Fortran, Go, Rust or Java compiler, or a set that
# pulls one in); ``-dev`` headers, make and pkg-config alone compile nothing.
_COMPILER = re.compile(
    r"(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|gfortran|gcc-c\+\+|llvm|build-essential|build-base"
    r"|alpine-sdk|@?development[- ]tools|golang|golang-go|go|rustc|cargo|rust"
    r"|default-jdk(-headless)?|openjdk-?[0-9]+-jdk(-headless)?|\$\{?phpize_deps\}?)"
    r"(-[0-9]+(\.[0-9]+)*)?"
)


def _compiles(package: _BuildPackage) -> bool:
    return any(_COMPILER.fullmatch(_bare(name)) for name in package.names)


def _purges_build_packages(runs: Sequence[_Run]) -> bool:
    """Whether one RUN installs packages and removes packages after them (so that, when
    it keeps no build package, whatever it compiled with is gone again)."""
    installed = False
    for run in runs:
        cmd = run.program
        sub = _sub(cmd)
        if sub in PACKAGE_INSTALLS.get(cmd.name, ()):
            installed = True
        elif installed and sub in PACKAGE_REMOVALS.get(cmd.name, ()):
            return True
    return False


_COMPILING_MANAGERS = _NODE_MANAGERS | {
    PackageManager.BUNDLER,
    PackageManager.POETRY,
    PackageManager.UV,
}
_COMPILING_INSTALL: dict[str, tuple[str, ...]] = {
    "gem": ("install",),
    "pipenv": ("install", "sync"),
}
_PIP_ITSELF = frozenset({"pip", "setuptools", "wheel"})


def _compiling_install(run: _Run) -> Word | None:
    """The install word of a dependency install that may compile native extensions."""
    cmd = run.program
    if program(cmd.name) == "pip":
        word = _install_word(cmd, ("install",))
        targets = {re.split(r"[=<>~!\[;]", w.text, maxsplit=1)[0] for w in cmd.positionals()[1:]}
        upgrades_itself = targets <= _PIP_ITSELF and not cmd.has_option("-r", "--requirement")
        return None if upgrades_itself else word
    found = _project_install(run, _COMPILING_MANAGERS)
    if found is not None:
        return found[1]
    return _install_word(cmd, _COMPILING_INSTALL.get(cmd.name, ()))


@rule(
    "DKL203",
    "single-stage-build",
    Category.BLOAT,
    Severity.WARNING,
    summary="The only stage builds the application, so the build toolchain ships.",
    docs=RuleDocs(
        what="A Dockerfile with one FROM whose stage compiles or bundles something: `go "
        "build`, `mvn package`, `gradle build`, `cargo build`, `dotnet publish`, `npm run "
        "build`, `tsc`, `ng build`, `vite build`, asset precompilation, or native "
        "compilation (`make`, `gcc`, `python setup.py build`, `pip install` with gcc "
        "installed and kept) where a compiler stays: the base is a toolchain image (or a "
        "Debian php image, which keeps $PHPIZE_DEPS), or a compiler was installed and not "
        "removed; `-dev` headers alone compile nothing. Installing dependencies alone is "
        "not a build. ONBUILD triggers count for explicit builds. A RUN that installs build "
        "packages and removes them again (`apt-get purge --auto-remove $BUILD_DEPS`, `apk "
        "del .build-deps`), as the official images do, is not flagged for what it "
        "compiles, nor for a build whose toolchain it removes (a JavaScript build still "
        "leaves its node_modules).",
        why="Everything the build needed stays in the image: the compiler or SDK (in "
        "`golang:1.25` a 60 MB compressed Go toolchain on top of 102 MB of gcc and "
        "headers, linux/amd64, docker-library/repo-info, 2026-Q3), devDependencies, module "
        "and package caches, and the source tree. A second stage that copies only the "
        "output ships none of it.",
        example='FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]',
        instead="FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12\n"
        'COPY --from=build /app /app\nCMD ["/app"]',
        fix_safety='Not part of fix-all: the refactoring "Split into build and runtime '
        'stages" (a code action, one per runtime base, or `dockerls fix --split`) rewrites '
        "Node, Python, Go, Java and Rust builds, says what to check afterwards (files the "
        "program reads at run time are not known), and explains why when it cannot; see "
        "docs/split.md.",
        references=(_MULTI_STAGE, _BEST_PRACTICES),
    ),
)
def single_stage_build(ctx: RuleContext) -> Iterator[Hit]:
    found = _single_stage_build(ctx)
    if found is not None:
        yield found


# =========================================================================== DKL204


def _old_npm(info: ImageInfo | None) -> bool:
    """A Node image older than 15 ships npm 6 or older, which has no ``--omit``."""
    major = info.major if info is not None and info.family == "node" else None
    return major is not None and major.isdigit() and int(major) < 15


def _dev_installs(ctx: RuleContext, stage: Stage) -> Iterator[_DevInstall]:
    """Dev-dependency installs in the stage, given what its FROM chain configured."""
    bundle_without = False
    old_npm = _old_npm(ctx.image(stage))
    for s in ctx.graph.chain(stage):
        for step in steps(ctx, s):
            for run in _runs(ctx, step):
                bundle_without = bundle_without or _bundle_configures_without(run)
                found = _dev_install(run, _Scope(bundle_without, old_npm))
                if found is not None and s is stage:
                    yield found


# Programs that serve an application in development mode.
_DEV_SERVER = frozenset(
    {"nodemon", "ts-node", "ts-node-dev", "tsx", "webpack-dev-server", "vue-cli-service"}
    | {"ng", "vite", "react-scripts", "gatsby"}
)


def _runtime_needs_dev(ctx: RuleContext, stage: Stage) -> _Phrase | None:
    """The part of the image's command that suggests it runs with development dependencies.

    A dev server (``ng serve``, ``nodemon``, ``vite``), ``npx``, or a package.json
    script other than ``start`` (``npm run dev``) in the CMD or ENTRYPOINT.
    """
    package_json = ctx.build_context.package_json
    for run in _image_command(ctx, stage):
        program = run.program
        sub = program.subcommand()
        if run.command.name in _NODE_RUNNERS or program.name in _DEV_SERVER:
            return _Phrase(run, sub or program.argv[0])
        if program.name in ("next", "nuxt") and sub is not None and sub.text == "dev":
            return _Phrase(run, sub)
        script = _script_word(run)
        if script is None:
            continue
        line = package_json.script(script.text) if package_json is not None else None
        first = line.split()[0] if line and line.split() else None
        if script.text != "start" or (
            package_json is not None and first in package_json.dev_dependencies
        ):
            return _Phrase(run, script)
    return None


@rule(
    "DKL204",
    "dev-dependencies-in-final-image",
    Category.BLOAT,
    Severity.WARNING,
    summary="Development dependencies are installed into the image that ships.",
    docs=RuleDocs(
        what="A stage that ships installs development dependencies: `npm ci`/`npm install`, "
        "`yarn install`, `pnpm install` or `bun install` without `--omit=dev`/"
        "`--production`/`--prod` and without `NODE_ENV=production` (ENV, ARG default or "
        "inline); `poetry install` without `--only main`/`--without dev`; `uv sync` without "
        "`--no-dev` or `UV_NO_DEV`; `pip install -r requirements-dev.txt`, `.[dev]` or "
        "`--group dev` (pip 25.1 dependency groups); `bundle install` without "
        "`BUNDLE_WITHOUT`/`bundle config set without`; `composer install` without "
        "`--no-dev`. Also `COPY --from=<stage>` of what holds such an install: its "
        "`node_modules`, virtualenv (`.venv`, `venv`, or wherever `VIRTUAL_ENV`, the pip "
        "path, `--target`/`--prefix`/`--user` or `UV_PROJECT_ENVIRONMENT` put it) or "
        "`vendor` directory, or a directory around it (`COPY --from=build /app /app`), "
        "including dependencies that stage copied in from another one; a part of it "
        "(`/usr/local/bin`) or the output beside it (`/app/dist`) is not reported, except "
        "the system Python's site-packages after an install that certainly brought "
        "development dependencies (not uv's default dev group, which exists only if the "
        "project declares it). A prune "
        "(`npm prune --omit=dev`, `yarn workspaces focus --production`, a production `npm "
        "ci` or `uv sync`, `rm -rf node_modules`) in the stage that is copied from clears "
        "it; in the image that ships, only one in the RUN of the install does: a prune in a "
        "later RUN is reported, since the install's layer still holds the dependencies "
        "(except in an image that sets no CMD or ENTRYPOINT, a base that other builds may "
        "copy the pruned dependencies from). Test images are not flagged: "
        "a cypress, playwright or puppeteer base, a `playwright install`, or a CMD that "
        "runs tests (`npm test`, `pytest`).",
        why="devDependencies are compilers, bundlers, linters, test runners and type "
        "definitions; in a typical web project they outweigh the runtime dependencies "
        "(the typescript package alone unpacks to about 20 MB). They ship, get scanned "
        "for vulnerabilities and widen the attack surface for nothing.",
        example="FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"
        'COPY . .\nCMD ["node", "server.js"]',
        instead="FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\n"
        'RUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]',
        fix_safety="When no build or test step follows in the image and the command it "
        "runs does not look like a dev server, the fix adds the production flag right "
        "after the install word (`--omit=dev` for npm, `--prod` for pnpm, `--production` "
        "for bun, `--no-dev` for uv and composer; `--production` for npm on Node images "
        "older than 15, whose npm has no `--omit`). For Poetry it offers `--only main` "
        "without applying it in fix-all (Poetry ≥ 1.2), and likewise when other options of "
        "the command come from variables. When a build or tests follow, the dev "
        "dependencies are needed there and the remedy is a multi-stage build: no fix.",
        references=(
            "https://docs.npmjs.com/cli/commands/npm-ci#omit",
            "https://python-poetry.org/docs/cli/#install",
            "https://docs.astral.sh/uv/concepts/projects/sync/",
            "https://bundler.io/man/bundle-config.1.html",
            "https://getcomposer.org/doc/03-cli.md#install-i",
            _MULTI_STAGE,
        ),
    ),
)
def dev_dependencies_in_final_image(ctx: RuleContext) -> Iterator[Hit]:
    final = ctx.graph.final
    if final is None or _test_image(ctx, final):
        return
    package_json = ctx.build_context.package_json
    # A package.json without devDependencies leaves npm nothing extra to install.
    node_has_dev = package_json is None or package_json.has_dev_dependencies
    chain = _chain_runs(ctx, final)
    position = {id(r): i for i, r in enumerate(chain)}
    runtime_dev = _runtime_needs_dev(ctx, final)
    for stage in _shipping(ctx):
        for dev in _dev_installs(ctx, stage):
            if dev.ecosystem == "node" and not node_has_dev:
                continue
            later = chain[position.get(id(dev.run), len(chain)) + 1 :]
            prune = next((r for r in later if _prunes(r, dev.ecosystem)), None)
            if prune is None:
                yield _dev_hit(dev, later, package_json, runtime_dev)
            elif prune.step.ins is not dev.run.step.ins and _runs_a_command(ctx, final):
                yield _late_prune_hit(dev, prune)
    yield from _dev_copies(ctx, node_has_dev)


def _runs_a_command(ctx: RuleContext, stage: Stage) -> bool:
    """Whether the image says what it runs (CMD or ENTRYPOINT). One that does not is a
    base for other builds, which may copy the pruned dependencies out of it."""
    return any(
        step.ins.name in ("CMD", "ENTRYPOINT")
        for s in ctx.graph.chain(stage)
        for step in steps(ctx, s)
    )


def _late_prune_hit(dev: _DevInstall, prune: _Run) -> Hit:
    """Development dependencies removed by a later RUN: the install's layer keeps them."""
    last = prune.command.argv[-1]
    return Hit(
        dev.word.span,
        f"`{dev.tool}` installs development dependencies ({dev.why}) into the final image; "
        f"`{prune.text(last)}` on line {line_no(prune.start.span)} deletes them in a later "
        f"layer, but the layer of line {line_no(dev.word.span)} still holds them, so the "
        "image is no smaller. Prune in the same RUN as the install, or install and build in "
        "a separate stage and copy only the production dependencies.",
        related=(Related(prune.words(last), "removes them in a later layer only"),),
    )


def _dev_hit(
    dev: _DevInstall, later: list[_Run], package_json: PackageJson | None, runtime: _Phrase | None
) -> Hit:
    """The finding for one install: why the dev dependencies are there, and the way out."""
    base = f"`{dev.tool}` installs development dependencies ({dev.why}) into the final image"
    if dev.ecosystem == "node":
        builds = (b for r in later if (b := _build(r, package_json)) is not None and b.node)
        build = next(builds, None)
        if build is not None:
            return Hit(
                dev.word.span,
                f"{base}; `{build.text}` on line {line_no(build.span)} needs them, so "
                "build in a separate stage and install only production dependencies in the "
                "image that ships.",
                related=(Related(build.span, "this build uses the development dependencies"),),
            )
    test = next((r for r in later if _tests(r) == dev.ecosystem), None)
    if test is not None:
        return Hit(
            dev.word.span,
            f"{base}; `{test.text(test.program.argv[-1])}` on line "
            f"{line_no(test.start.span)} needs them, so run it in a separate stage.",
            related=(Related(test.words(test.program.argv[-1]), "this step uses them"),),
        )
    if runtime is not None and dev.ecosystem == "node":
        return Hit(
            dev.word.span,
            f"{base}; the image runs `{runtime.text}`, which looks like development mode: "
            "ship a production build instead.",
            related=(Related(runtime.span, "the command the image runs"),),
        )
    fixes: tuple[Fix, ...] = ()
    if dev.flag is not None:
        edit = insert_after(dev.run.step.ins, dev.word, dev.flag)
        dynamic = any(w.dynamic for w in dev.run.program.args)
        caveat = dev.flag_caveat or ("other options come from variables" if dynamic else None)
        title = f"Add {dev.flag}" + (f" ({caveat})" if caveat else "")
        fixes = (Fix(title, (edit,), safe=caveat is None),)
    return Hit(dev.word.span, f"{base}; {dev.remedy}.", fixes)


_DEPENDENCY_DIRS = {
    "node_modules": "node",
    ".venv": "python",
    "venv": "python",
    "vendor": "php",
}
# Where pip installs without a virtualenv in the official python images (a prefix:
# /usr/local/lib/python3.12/site-packages).
_SYSTEM_PYTHON = "/usr/local/lib/python3*"


@dataclass(frozen=True, slots=True)
class _Held:
    """Development dependencies that a stage's filesystem holds."""

    dev: _DevInstall
    place: str | None  # where: a path, a path prefix ending in ``*``, None when not known
    stage: Stage  # the stage that installed them


def _place(dev: _DevInstall) -> str | None:
    """Where an install puts the dependencies, when the Dockerfile shows it."""
    run = dev.run
    cmd, env, cwd = run.program, run.env, run.cwd

    def at(path: str | None) -> str | None:
        return None if path is None or cwd is None else resolve(path, cwd, run.shell_vars)

    if dev.ecosystem == "node":
        prefix = cmd.option_value("--prefix")
        return at(posixpath.join(prefix.text if prefix else ".", "node_modules"))
    if dev.ecosystem == "php":
        return at("vendor")
    if dev.ecosystem == "ruby":
        return at(env.get("BUNDLE_PATH") or "/usr/local/bundle")
    name = program(cmd.name)
    if name == "pip":
        for option in ("--target", "-t", "--prefix"):
            value = cmd.option_value(option)
            if value is not None:
                return at(value.text)
        if cmd.has_option("--user"):
            return at(env.get("HOME", ROOT_HOME) + "/.local")
        launcher = run.command.argv[0].text if run.command is not cmd else cmd.argv[0].text
        if launcher.startswith("/") and "/bin/" in launcher:
            return at(launcher.rsplit("/bin/", 1)[0])
    if name == "uv" and "UV_PROJECT_ENVIRONMENT" in env:
        found = at(env["UV_PROJECT_ENVIRONMENT"])
        return _SYSTEM_PYTHON if found in ("/usr", "/usr/local") else found
    if name == "uv" and _sub(cmd) == "sync":
        return at(".venv")
    if env.get("VIRTUAL_ENV"):
        return at(env["VIRTUAL_ENV"])
    if name == "poetry":
        if _truthy(env.get("POETRY_VIRTUALENVS_IN_PROJECT")):
            return at(".venv")
        create = env.get("POETRY_VIRTUALENVS_CREATE")
        return _SYSTEM_PYTHON if create is not None and not _truthy(create) else None
    return _SYSTEM_PYTHON if name in ("pip", "uv", "pipenv") else None


def _holds(path: str, held: _Held) -> bool:
    """Whether copying ``path`` takes the dependencies: it is their directory or one that
    holds it. A part of it (one package, ``bin/``) is not reported, except the
    site-packages of the system Python (``COPY --from=build
    /usr/local/lib/python3.12/site-packages``) when the install certainly brought
    development dependencies."""
    place = held.place
    if place is None:
        return False
    if place.endswith("*"):
        base = place[:-1]
        inside = path.startswith(base) and not held.dev.presumed
        return inside or base.startswith(path.rstrip("/") + "/")
    return path == place or place.startswith(path.rstrip("/") + "/")


def _moved(path: str, place: str, dest: str) -> str:
    """Where what lay at ``place`` lands when ``path`` is copied to the directory ``dest``
    (a directory's contents go into ``dest``)."""
    base, star = place.rstrip("*"), "*" if place.endswith("*") else ""
    parent = path.rstrip("/")
    return dest.rstrip("/") + base[len(parent) :] + star if base.startswith(parent + "/") else dest


def _taken(token: Token, held: _Held) -> bool:
    """Whether a COPY source takes the dependencies: it names their directory (by name,
    when their place is not known) or a directory that holds them, or lies inside it."""
    path = "/" + token.text.strip("/") if not token.text.startswith("/") else token.text
    if go_clean(path) == "/":
        return False  # the whole filesystem: DKL206's finding
    leaf = path.rstrip("/").rsplit("/", 1)[-1]
    named = _DEPENDENCY_DIRS.get(leaf) == held.dev.ecosystem
    return named or _holds(go_clean(path), held)


def _deletes(run: _Run, place: str | None) -> bool:
    """Whether ``run`` prunes the dependencies at ``place`` or deletes them (``rm -rf``)."""
    if place is None or place.endswith("*") or run.program.name != "rm" or run.cwd is None:
        return False
    for word in run.program.positionals(()):
        target = resolve(word.text, run.cwd, run.shell_vars)
        if target is not None and (target == place or place.startswith(target + "/")):
            return True
    return False


def _runs_after(ctx: RuleContext, stage: Stage, ins: Instruction | None) -> list[_Run]:
    """The RUN commands of the stage's FROM chain after ``ins`` (all of them for None)."""
    found: list[_Run] = []
    seen = ins is None
    for s in ctx.graph.chain(stage):
        for step in steps(ctx, s):
            if seen:
                found.extend(_runs(ctx, step))
            seen = seen or step.ins is ins
    return found


def _cleared(later: Sequence[_Run], held: _Held) -> bool:
    return any(_prunes(r, held.dev.ecosystem) or _deletes(r, held.place) for r in later)


def _held(ctx: RuleContext, stage: Stage) -> list[_Held]:
    """The development dependencies in the filesystem of a stage: installed in its FROM
    chain, or copied from an earlier stage, and not pruned since (worked out once)."""
    return ctx.memo_each(_holdings, stage, stage.index)


def _holdings(ctx: RuleContext, stage: Stage) -> list[_Held]:
    # One entry per install and place, however many copies bring it: the lists stay
    # small along long chains of stages.
    found: dict[tuple[int, str | None], _Held] = {}
    chain = _chain_runs(ctx, stage)
    position = {id(r): i for i, r in enumerate(chain)}
    for s in ctx.graph.chain(stage):
        for dev in _dev_installs(ctx, s):
            held = _Held(dev, _place(dev), s)
            if not _cleared(chain[position.get(id(dev.run), len(chain)) + 1 :], held):
                found.setdefault((id(dev.run), held.place), held)
    members = {s.index for s in ctx.graph.chain(stage)}
    after: dict[int, list[_Run]] = {}

    def later(ins: Instruction) -> list[_Run]:
        if id(ins) not in after:
            after[id(ins)] = _runs_after(ctx, stage, ins)
        return after[id(ins)]

    for edge in ctx.graph.edges:
        owner = ctx.document.stage_of(edge.instruction)
        source = edge.source
        if owner is None or owner.index not in members or edge.instruction.name != "COPY":
            continue
        if source is None or source.index >= stage.index:
            continue  # sources come earlier; never loop on a malformed file
        dest = _copy_destination(ctx, edge.instruction)
        for token in operands(edge.instruction)[:-1]:
            for held in _held(ctx, source):
                if not _taken(token, held):
                    continue
                place = None
                if dest is not None and held.place is not None:
                    place = _moved(go_clean("/" + token.text.lstrip("/")), held.place, dest)
                moved = _Held(held.dev, place, held.stage)
                key = (id(held.dev.run), place)
                if key not in found and not _cleared(later(edge.instruction), moved):
                    found[key] = moved
    return list(found.values())


def _copy_destination(ctx: RuleContext, ins: Instruction) -> str | None:
    """The absolute destination of a COPY, when it is known."""
    step = step_of(ctx, ins)
    return resolve(operands(ins)[-1].text, step.cwd, step.env) if operands(ins) else None


def _dev_copies(ctx: RuleContext, node_has_dev: bool) -> Iterator[Hit]:
    """``COPY --from=build /app/node_modules`` (or ``/app``) where the build stage, or a
    stage it copied them from, installed development dependencies and kept them."""
    for edge in ctx.graph.edges:
        source = edge.source
        target = ctx.document.stage_of(edge.instruction)
        if source is None or ctx.ships(source) or not ctx.ships(target):
            continue
        if edge.instruction.name != "COPY":
            continue
        held = [h for h in _held(ctx, source) if h.dev.ecosystem != "node" or node_has_dev]
        for token in operands(edge.instruction)[:-1]:
            found = next((h for h in held if _taken(token, h)), None)
            if found is None:
                continue
            dev = found.dev
            where = f"line {line_no(dev.word.span)}"
            if found.stage is not source:
                where += f" of stage `{_stage_label(found.stage)}`"
            into = f" into {found.place}" if found.place and not found.place.endswith("*") else ""
            yield Hit(
                token.span,
                f"Copies `{token.text}` from stage `{_stage_label(source)}`, with the "
                f"development dependencies `{dev.tool}` ({where}) installed{into} "
                f"({dev.why}): they reach the final image. Install production dependencies "
                "in a stage of their own and copy those.",
                related=(Related(dev.word.span, "dev dependencies installed here"),),
            )


# =========================================================================== DKL205


def _lockfile_copied(ctx: RuleContext, step: Step) -> str:
    """How the stage's FROM chain brings package-lock.json in by ``step``.

    ``named``: the lockfile is copied or mounted by name; ``likely``: a glob such as
    ``package*.json`` or the whole context is copied; ``missing``: package.json is
    copied by name and nothing else could bring the lockfile; ``unknown`` otherwise.
    """
    found = "unknown"
    for s in ctx.graph.chain(step.stage):
        for other in steps(ctx, s):
            found = _EVIDENCE[max(_EVIDENCE.index(found), _EVIDENCE.index(_copies(other)))]
            if other is step:  # its own bind mounts count
                return found
    return found


_EVIDENCE = ("unknown", "missing", "likely", "named")
_LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json")


def _copies(step: Step) -> str:
    ins = step.ins
    if ins.name == "RUN":
        sources = [m.source or "" for m in mounts(ins)]
    else:
        sources = [t.text for t in context_sources(ins)]
    found = "unknown"
    for source in sources:
        leaf = source.rstrip("/").rsplit("/", 1)[-1]
        if leaf in _LOCKFILES:
            return "named"
        if leaf in (".", "*", "") or (
            any(c in leaf for c in "*?[") and any(fnmatchcase(f, leaf) for f in _LOCKFILES)
        ):
            found = "likely"
        elif leaf == "package.json" and found == "unknown":
            found = "missing"
    return found


@rule(
    "DKL205",
    "npm-install-in-build",
    Category.CACHE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="Project dependencies are installed with `npm install` instead of `npm ci`.",
    docs=RuleDocs(
        what="`npm install` (or `npm i`) with no package names, in any stage or ONBUILD "
        "trigger. `npm install -g <tool>` and `npm install <package>` are not flagged.",
        why="`npm install` resolves versions again and may rewrite package-lock.json, so "
        "two builds of the same commit can get different dependencies, and the layer "
        "cache keyed on the lockfile no longer describes what was installed. `npm ci` "
        "installs exactly the lockfile, fails when it disagrees with package.json, starts "
        "from an empty node_modules and is faster.",
        example="COPY package*.json ./\nRUN npm install",
        instead="COPY package*.json ./\nRUN npm ci",
        fix_safety="Replaces the `install` word with `ci`, keeping the other flags. "
        "Applied by fix-all only when a lockfile is known to be there: the build context "
        "has package-lock.json (or npm-shrinkwrap.json) or the Dockerfile copies or mounts "
        "it by name. When only `package*.json` or the whole context is copied and the "
        "context is unknown, the fix is offered with a warning in its title (npm ci fails "
        "without a lockfile); with no lockfile in the context, or when package.json is "
        "copied without it, there is no fix. "
        "Adding `--omit=dev` is DKL204's fix; the two combine into `npm ci --omit=dev`.",
        references=(
            "https://docs.npmjs.com/cli/commands/npm-ci",
            "https://docs.npmjs.com/cli/configuring-npm/package-lock-json",
        ),
    ),
)
def npm_install_in_build(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        for step in steps(ctx, stage):
            for run in _runs(ctx, step):
                found = _project_install(run, (PackageManager.NPM,))
                if found is not None and found[1].text not in NPM_CI:
                    yield _npm_install_hit(ctx, step, found[1])


def _npm_install_hit(ctx: RuleContext, step: Step, word: Word) -> Hit:
    message = (
        f"`npm {word.text}` resolves dependency versions again and may rewrite "
        "package-lock.json; `npm ci` installs exactly the lockfile"
    )
    copied = _lockfile_copied(ctx, step)
    in_context = ctx.build_context.has_lockfile(PackageManager.NPM)
    if in_context and ctx.build_context.sends_to_daemon("package-lock.json") is False:
        in_context = None  # there, but excluded by .dockerignore
    if copied != "named" and in_context is False:
        return Hit(
            word.span,
            f"{message}. The build context has no package-lock.json: "
            "generate and commit one, then use `npm ci`.",
        )
    if copied == "missing":
        return Hit(
            word.span,
            f"{message}. Copy package-lock.json along with package.json, then use `npm ci`.",
        )
    edit = _replace_word(step.ins, word, "ci")
    if copied == "named" or (copied == "likely" and in_context):
        fix = Fix("Use npm ci (installs exactly package-lock.json)", (edit,))
    else:
        fix = Fix("Use npm ci (fails if package-lock.json is missing)", (edit,), safe=False)
    return Hit(word.span, f"{message}.", (fix,))


# =========================================================================== DKL206

_WHOLE_FILESYSTEM = frozenset({"/", "/.", "/*", ".", "./", "*", "./*"})


@rule(
    "DKL206",
    "whole-filesystem-copied-from-stage",
    Category.BLOAT,
    Severity.WARNING,
    summary="`COPY --from=<stage> / …` copies a stage's whole filesystem.",
    docs=RuleDocs(
        what="A COPY into a stage that ships whose `--from` names another stage and whose "
        "source is that stage's root (`/`). A source stage built FROM scratch holds only "
        "what was put there on purpose and is not flagged.",
        why="The whole builder comes along: its base image, compilers, package caches, "
        "source tree and intermediate files, which is what a multi-stage build was meant "
        "to leave behind; the copy also duplicates every file already in the target's "
        "base image into a new layer.",
        example="FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM alpine:3.20\n"
        "COPY --from=build / /",
        instead="FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM alpine:3.20\n"
        "COPY --from=build /out/app /usr/local/bin/app",
        fix_safety="No automatic fix: only the author knows which paths the application needs.",
        references=(
            _MULTI_STAGE,
            "https://docs.docker.com/reference/dockerfile/#copy---from",
            "https://github.com/hadolint/hadolint/wiki/DL3067",
        ),
    ),
    hadolint=("DL3067",),
)
def whole_filesystem_copied_from_stage(ctx: RuleContext) -> Iterator[Hit]:
    for edge in ctx.graph.edges:
        source = edge.source
        ins = edge.instruction
        if source is None or ins.name != "COPY" or not ctx.ships(ctx.document.stage_of(ins)):
            continue
        if (ctx.graph.root(source).resolved_image or "").lower() == "scratch":
            continue
        name = _stage_label(source)
        for token in operands(ins)[:-1]:
            if token.text in _WHOLE_FILESYSTEM:
                yield Hit(
                    token.span,
                    f"Copies the whole filesystem of stage `{name}` (its base image, "
                    "toolchain, caches and sources) into the image that ships; copy only "
                    "the build output.",
                    related=(Related(from_span(source), f"stage `{name}` starts here"),),
                )
                break


RULES: tuple[Rule, ...] = (
    full_language_base,
    build_tools_in_final_image,
    single_stage_build,
    dev_dependencies_in_final_image,
    npm_install_in_build,
    whole_filesystem_copied_from_stage,
)
