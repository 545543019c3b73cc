"""Package-manager bloat: what installers leave in a layer, and what a later layer cannot take back.

The rules read the commands of RUN instructions (``ctx.script``); the size rules look
only at stages whose layers ship (``ctx.ships``). Shared pieces:

* ``_walk`` follows the stages' instructions (``common.steps``: ONBUILD triggers
  included, with the ENV/ARG values and WORKDIR in force);
* ``_Run`` is one RUN seen command by command: each command's program, environment
  and working directory, and the RUN's cache/tmpfs mounts;
* a ``Cache`` (``managers``) says where a tool leaves bytes (apt lists, the pip
  cache…); ``_leftovers`` lists what a command fills, and a ``_Run`` says whether a
  mount hides it or a command empties it;
* ``insert_after`` and ``_append_after`` build fixes that keep the user's layout.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from dockerls.findings import Fix, Related, TextEdit
from dockerls.rules.common import (
    ADD_EXTRACTS,
    ROOT_HOME,
    Step,
    cache_targets,
    command_scopes,
    indent,
    insert_after,
    line_no,
    newline,
    operands,
    program,
    resolve,
    steps,
    unwrap,
    whole_lines,
)
from dockerls.rules.engine import Category, Hit, Rule, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.managers import (
    APK_CACHE,
    APT_LISTS,
    CARGO_REGISTRY,
    COMPOSER_CACHE,
    GO_BUILD,
    GO_MODULES,
    GRADLE_HOME,
    MANAGERS,
    MAVEN_REPO,
    NPM_CACHE,
    NPM_CI,
    NPM_INSTALL,
    NUGET_CACHE,
    PACKAGE_INSTALLS,
    PACKAGE_REMOVALS,
    PIP_CACHE,
    POETRY_CACHE,
    RPM_CACHE,
    RPM_MANAGERS,
    UV_CACHE,
    YARN_CACHE,
    ZYPP_CACHE,
    Cache,
    package_name,
)
from dockerls.shell import Command, Script, Word
from dockerls.syntax import Severity, Span, Stage

if TYPE_CHECKING:
    from dockerls.knowledge.images import ImageInfo

_DOCKERFILE = "https://docs.docker.com/reference/dockerfile/"
_BEST_PRACTICES = "https://docs.docker.com/build/building/best-practices/"
_CACHE_MOUNTS = "https://docs.docker.com/build/cache/optimize/#use-cache-mounts"
_LAYERS = "https://docs.docker.com/get-started/docker-concepts/building-images/understanding-image-layers/"

# --------------------------------------------------------------------------- walking stages


def _walk(ctx: RuleContext, shipping: bool) -> Iterator[Step]:
    """Every instruction of the stages checked (or of the shipping ones only), in order."""
    for stage in ctx.stages:
        if ctx.ships(stage) or not shipping:
            yield from steps(ctx, stage)


# --------------------------------------------------------------------------- programs

_BRACE_SHELLS = frozenset({"bash", "zsh", "ksh", "mksh"})


def _name(cmd: Command) -> str:
    """A command's canonical program name; ``apt`` installs and removes as ``apt-get``."""
    name = program(cmd.name)
    return "apt-get" if name == "apt" else name


def _program(cmd: Command) -> tuple[str, Command]:
    """The canonical name of the program a command runs, and the command to read its
    arguments from (``python3 -m pip install x`` reads as ``pip install x``)."""
    view = unwrap(cmd)
    return _name(view), view


def _texts(words: Iterable[Word]) -> list[str]:
    return [w.text for w in words]


def _shell_text(at: Step) -> list[str]:
    """A RUN's shell text as written: its arguments and its heredoc bodies."""
    ins = at.ins
    return [ins.rest.text, *(h.body.text for h in ins.heredocs)] if ins.rest is not None else []


@dataclass(slots=True)
class _Run:
    """One RUN, command by command."""

    at: Step
    script: Script
    programs: list[tuple[str, Command]]
    envs: list[dict[str, str]]  # the environment each command sees
    cwds: list[str | None]  # each command's working directory (None after an unknown cd)
    mounts: tuple[str, ...]  # cache and tmpfs mount targets
    bash: bool  # the SHELL expands braces ({a,b}); /bin/sh does not
    lines: tuple[str, ...]  # the document's lines, to read the shell between commands

    @staticmethod
    def of(ctx: RuleContext, at: Step) -> _Run:
        script = ctx.script(at.ins)
        scopes = command_scopes(ctx, at)
        # Every variable the command's words or environment may use counts (conservative).
        envs = [{**scope.vars, **scope.env} for scope in scopes]
        cwds = [scope.cwd for scope in scopes]
        mounts = (_path(target, at.cwd, at.env) for target in cache_targets(at.ins))
        programs = [_program(c) for c in script.commands]
        shell = ctx.shell(at.ins)
        bash = program(shell[0]) in _BRACE_SHELLS if shell else False
        places = tuple(m for m in mounts if m)
        return _Run(at, script, programs, envs, cwds, places, bash, ctx.document.lines)

    @property
    def commands(self) -> tuple[Command, ...]:
        return self.script.commands

    def hides(self, place: Cache, index: int) -> bool:
        """Whether a cache or tmpfs mount keeps ``place`` out of the layer."""
        return _covered(place, self.mounts, self.envs[index])

    def emptied(self, place: Cache, after: int) -> bool:
        """Whether a command after ``after`` empties ``place``. When the shell parser met
        text it could not read (the commands after it may be lost), any mention of the
        place or of its cleaning command counts: better silent than wrong."""
        if any(self.empties(k, place) for k in self.succeeding(after)):
            return True
        return self.script.has_error and any(place.mentioned(t) for t in _shell_text(self.at))

    def succeeding(self, after: int) -> Iterator[int]:
        """The commands after ``after`` that run once it has succeeded: not one after
        ``||`` (nor the rest of its pipeline), which runs only when what precedes it
        fails, nor one in an ``else``/``elif`` branch of an ``if`` around ``after``."""
        previous = self.commands[after]
        failing = False  # after a ``||``
        depth = 0  # ifs opened after ``after`` and not closed yet
        other: int | None = None  # in another branch of the if closed below this depth
        for k in range(after + 1, len(self.commands)):
            cmd = self.commands[k]
            if cmd.in_substitution:
                continue
            for keyword in _KEYWORDS.findall(_COMMENT.sub("", self.between(previous, cmd))):
                if keyword == "if":
                    depth += 1
                elif keyword == "fi":
                    depth -= 1
                    if other is not None and depth < other:
                        other = None
                elif depth <= 0 and other is None:
                    other = depth
            previous = cmd
            if cmd.connector != "|":
                failing = cmd.connector == "||"
            if not failing and other is None:
                yield k

    def between(self, first: Command, second: Command) -> str:
        """The text between two commands as written (empty when not in that order)."""
        start = max([first.span.end, *(r.span.end for r in first.redirects)])
        end = second.span.start
        if end <= start or end.line >= len(self.lines):
            return ""
        if start.line == end.line:
            text = self.lines[start.line][start.column : end.column]
        else:
            middle = self.lines[start.line + 1 : end.line]
            text = "\n".join(
                [
                    self.lines[start.line][start.column :],
                    *middle,
                    self.lines[end.line][: end.column],
                ]
            )
        return text

    def deletion(self, index: int) -> TextEdit | None:
        """An edit that deletes command ``index`` and the operator after it, when the
        command is simply run before the next one (``x && next``, ``x; next``, a line
        of a heredoc) and the next runs whatever the deleted one did; else None."""
        if index + 1 >= len(self.commands):
            return None
        cmd, nxt = self.commands[index], self.commands[index + 1]
        plain = all(
            c.connector in (None, "&&", ";", "\n")
            and not (c.in_condition or c.in_substitution)
            and c.in_subshell == cmd.in_subshell
            for c in (cmd, nxt)
        )
        if (
            not plain
            or nxt.connector is None
            or _SEPARATION.fullmatch(self.between(cmd, nxt)) is None
        ):
            return None
        return TextEdit(Span(cmd.span.start, nxt.span.start), "")

    def empties(self, index: int, place: Cache) -> bool:
        prog, view = self.programs[index]
        env = self.envs[index]
        if prog in {"rm", "find"}:
            return any(_removes_place(t, place, env) for t in self.removed(index))
        return any(_runs_spec(prog, view, spec) for spec in place.cleaners)

    def removed(self, index: int) -> list[str]:
        """The paths (shell patterns) an ``rm`` or ``find … -delete`` command removes."""
        prog, view = self.programs[index]
        cwd = self.cwds[index]
        if cwd is None:
            return []
        env = self.envs[index]
        if prog == "rm":
            words = view.positionals(())
        elif prog == "find" and ("-delete" in _texts(view.args) or _find_rm(view)):
            words = tuple(w for w in view.args[:1] if not w.text.startswith("-"))
        else:
            return []
        bash = self.bash or any(w in _BRACE_SHELLS for w in view.wrappers)
        found: list[str] = []
        for word in words:
            for text in _braces(word.text) if bash else [word.text]:
                resolved = _path(text, cwd, env)
                if resolved is not None:
                    found.append(resolved)
        return found

    def leftovers(self, index: int) -> list[_Leftover]:
        """What command ``index`` leaves on disk: what its program leaves, and what its
        launcher leaves first (``uv run x`` syncs the project before running ``x``)."""
        cmd = self.commands[index]
        prog, view = self.programs[index]
        env, cwd = self.envs[index], self.cwds[index]
        unknown = self.at.scope.unknown
        launcher = _leftovers(_name(cmd), cmd, env, cwd, unknown) if view is not cmd else []
        return [*launcher, *_leftovers(prog, view, env, cwd, unknown)]

    def quote(self, index: int, word: Word) -> str:
        """How a message quotes command ``index`` up to ``word``: as the program that does
        the work (``uv sync`` for ``python -m uv sync``) when ``word`` is one of its words."""
        cmd, view = self.commands[index], self.programs[index][1]
        return _written(view if any(w is word for w in view.argv) else cmd, word)

    def left(self, index: int, place: Cache) -> bool:
        """Whether what command ``index`` puts in ``place`` stays in this layer."""
        return not self.hides(place, index) and not self.emptied(place, index)


# Shell keywords between two commands that open, branch or close an ``if``.
_KEYWORDS = re.compile(r"(?<![\w$/.=-])(if|elif|else|fi)(?![\w/.=-])")
_COMMENT = re.compile(r"(?:^|(?<=\s))#.*$", re.MULTILINE)
# Between two commands run one after the other: operators, blanks and line continuations.
_SEPARATION = re.compile(r"[\s;&\\`]*")


def _find_rm(view: Command) -> bool:
    args = _texts(view.args)
    return any(
        a == "-exec" and i + 1 < len(args) and args[i + 1] == "rm" for i, a in enumerate(args)
    )


def _runs_spec(prog: str, view: Command, spec: tuple[str, ...]) -> bool:
    """Whether a command is ``spec``: program, leading positionals, and ``-options``."""
    if prog != spec[0]:
        return False
    words = [s for s in spec[1:] if not s.startswith("-")]
    options = [s for s in spec[1:] if s.startswith("-")]
    positionals = _texts(view.positionals())
    args = _texts(view.args)
    return positionals[: len(words)] == words and all(o in args for o in options)


def _configured(ctx: RuleContext, sets: Callable[[Step], bool]) -> Iterator[tuple[Step, bool]]:
    """Each shipping instruction, and whether ``sets`` held for it or for an instruction
    before it in its FROM chain (a tool configured once stays configured)."""
    done: set[int] = set()  # the stages where it held
    for at in _walk(ctx, shipping=True):
        if sets(at):
            done.add(at.stage.index)
        yield at, any(s.index in done for s in ctx.graph.chain(at.stage))


def _runs(ctx: RuleContext, shipping: bool = True) -> Iterator[_Run]:
    for at in _walk(ctx, shipping):
        if at.ins.name == "RUN":
            run = _Run.of(ctx, at)
            if run.commands:
                yield run


# --------------------------------------------------------------------------- paths

# Command substitutions that print a cache directory, as people write them in ``rm``.
_SUBSTITUTIONS = (
    ("$(yarn cache dir)", "/usr/local/share/.cache/yarn"),
    ("$(pip cache dir)", "/root/.cache/pip"),
    ("$(pip3 cache dir)", "/root/.cache/pip"),
    ("$(npm config get cache)", "/root/.npm"),
    ("$(go env GOCACHE)", "/root/.cache/go-build"),
    ("$(go env GOMODCACHE)", "/go/pkg/mod"),
)
_GLOB = re.compile(r"[*?\[]")
_BRACE = re.compile(r"\{([^{}]*,[^{}]*)\}")


def _path(text: str, cwd: str, env: Mapping[str, str]) -> str | None:
    """An absolute, normalised path (or pattern); None when it depends on unknown values."""
    for written, meant in _SUBSTITUTIONS:
        text = text.replace(written, meant)
    return resolve(text, cwd, env)


def _braces(text: str) -> list[str]:
    """Brace expansion as bash does it (``/var/{a,b}`` gives two words)."""
    m = _BRACE.search(text)
    if m is None:
        return [text]
    head, tail = text[: m.start()], text[m.end() :]
    return [x for part in m.group(1).split(",") for x in _braces(head + part + tail)]


def _inside(path: str, directory: str) -> bool:
    """``path`` is ``directory`` or lies under it."""
    return directory in (path, "/") or path.startswith(directory + "/")


def _removes(pattern: str, location: str, contents: bool = True) -> bool:
    """Whether removing ``pattern`` (a path or a shell pattern) empties ``location``;
    with ``contents``, a glob over the directory's entries (``lists/*``) counts too."""
    if not _GLOB.search(pattern):
        return _inside(location, pattern)
    if contents and pattern.startswith(location + "/"):
        return True  # lists/*, lists/*_*
    candidate = location
    while True:
        if fnmatchcase(candidate, pattern):
            return True
        if candidate == "/":
            return False
        candidate = posixpath.dirname(candidate)


def _root_home(path: str, env: Mapping[str, str]) -> str:
    """A path under some user's home written as under /root, so home caches compare."""
    home = env.get("HOME", ROOT_HOME)
    if home not in ("/", ROOT_HOME) and _inside(path, home):
        return ROOT_HOME + path[len(home) :]
    m = re.match(r"/home/[^/]+(?=/|$)", path)
    return ROOT_HOME + path[m.end() :] if m else path


def _removes_place(pattern: str, place: Cache, env: Mapping[str, str]) -> bool:
    """Whether removing ``pattern`` empties ``place``."""
    pattern = _root_home(pattern, env)
    return any(_removes(pattern, _root_home(loc, env)) for loc in place.locations(env))


def _covered(place: Cache, directories: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether one of ``directories`` (mount targets) contains ``place``."""
    locations = [_root_home(loc, env) for loc in place.locations(env)]
    return any(_inside(loc, _root_home(d, env)) for d in directories for loc in locations)


def _cargo_target(cwd: str | None) -> Cache:
    paths = (posixpath.join(cwd, "target"),) if cwd is not None else ()
    return Cache(
        "the Cargo target directory",
        paths=paths,
        env=(("CARGO_TARGET_DIR", ""),),
        cleaners=(("cargo", "clean"),),
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --------------------------------------------------------------------------- what commands leave


@dataclass(frozen=True, slots=True)
class _Leftover:
    tool: str  # "apt", "pip", "uv", "npm", "dnf"…: how rules pick theirs
    place: Cache
    word: Word  # the word to underline


_APK_INDEX = frozenset({"add", "update", "upgrade"})
_RPM_FILLS = _words(
    "install reinstall update upgrade groupinstall localinstall downgrade distro-sync"
    " makecache swap builddep upgrade-minimal group module"
)
_ZYPPER_FILLS = _words("install in update up dist-upgrade dup patch source-install si refresh ref")
_NPM_FILLS = NPM_INSTALL | NPM_CI | {"update", "up", "upgrade"}
_YARN_FILLS = frozenset({"install", "add", "global", "upgrade", "up"})
_GO_BUILDS = frozenset({"build", "install", "test", "run", "vet"})
_CARGO_BUILDS = frozenset({"build", "b", "test", "t", "run", "r", "bench"})
_POETRY_FILLS = frozenset({"install", "add", "update", "lock", "sync"})
_UV_FILLS = frozenset({"sync", "add", "run"})
_COMPOSER_FILLS = frozenset({"install", "i", "update", "u", "upgrade", "require", "create-project"})
_DOTNET_FILLS = frozenset({"restore", "build", "publish", "test", "pack", "run"})


def _leftovers(
    prog: str,
    view: Command,
    env: Mapping[str, str],
    cwd: str | None,
    unknown: frozenset[str] = frozenset(),
) -> list[_Leftover]:
    """What running ``view`` puts on disk that the image does not need afterwards (the
    tool's own opt-outs, such as ``--no-cache-dir``, already taken into account; a
    variable in ``unknown`` is set to a value the Dockerfile does not show)."""
    sub = view.subcommand()
    name = sub.text if sub is not None else ""
    positionals = view.positionals()
    found: list[_Leftover] = []

    def add(tool: str, place: Cache, word: Word | None) -> None:
        found.append(_Leftover(tool, place, word if word is not None else view.argv[0]))

    if prog in ("apt-get", "aptitude") and name == "update":
        add("apt", APT_LISTS, sub)
    elif prog == "add-apt-repository" and not view.has_option("-n", "--no-update"):
        add("apt", APT_LISTS, None)
    elif prog == "apk" and name in _APK_INDEX:
        if name == "update" or not MANAGERS["apk"].cache_off(view, env, unknown):
            add("apk", APK_CACHE, sub)
    elif prog == "pip" and name == "install":
        if not MANAGERS["pip"].cache_off(view, env, unknown):
            add("pip", PIP_CACHE, sub)
    elif prog == "uv" and sub is not None:
        if MANAGERS["uv"].cache_off(view, env, unknown):
            return found
        second = positionals[1] if len(positionals) > 1 else None
        if name == "pip" and second is not None and second.text in ("install", "sync"):
            add("uv", UV_CACHE, second)
        elif name in _UV_FILLS:
            add("uv", UV_CACHE, sub)
        elif name == "tool" and second is not None and second.text == "install":
            add("uv", UV_CACHE, second)
    elif prog in RPM_MANAGERS and name in _RPM_FILLS:
        add(prog, RPM_CACHE, sub)
    elif prog == "zypper" and name in _ZYPPER_FILLS:
        add("zypper", ZYPP_CACHE, sub)
    elif prog == "npm" and name in _NPM_FILLS:
        add("npm", _with_option(NPM_CACHE, view, "--cache"), sub)
    elif prog == "yarn" and (sub is None or name in _YARN_FILLS):
        add("yarn", _with_option(YARN_CACHE, view, "--cache-folder"), sub)
    elif prog == "go":
        second_text = positionals[1].text if len(positionals) > 1 else ""
        mode = view.option_value("-mod")
        vendored = mode is not None and mode.text == "vendor"
        if name in _GO_BUILDS:
            add("go", GO_BUILD, sub)
        if not vendored and (name in _GO_BUILDS or name == "get"):
            add("go", GO_MODULES, sub)
        elif name == "mod" and second_text == "download":
            add("go", GO_MODULES, positionals[1])
    elif prog == "cargo" and name in (*_CARGO_BUILDS, "install", "fetch"):
        add("cargo", CARGO_REGISTRY, sub)
        if name in _CARGO_BUILDS:
            add("cargo", _cargo_target(cwd), sub)
    elif prog == "mvn" and sub is not None:
        add("maven", MAVEN_REPO, view.argv[0])
    elif prog == "gradle" and sub is not None:
        add("gradle", GRADLE_HOME, view.argv[0])
    elif prog == "poetry" and name in _POETRY_FILLS:
        if not MANAGERS["poetry"].cache_off(view, env, unknown):
            add("poetry", POETRY_CACHE, sub)
    elif prog == "composer" and name in _COMPOSER_FILLS:
        moved = env.get("COMPOSER_CACHE_DIR") == "/dev/null"
        if not moved and not MANAGERS["composer"].cache_off(view, env, unknown):
            add("composer", COMPOSER_CACHE, sub)
    elif prog == "dotnet" and name in _DOTNET_FILLS:
        add("dotnet", NUGET_CACHE, sub)
    return found


def _with_option(place: Cache, view: Command, option: str) -> Cache:
    """``place`` moved by a command-line option such as ``npm --cache /tmp/npm``."""
    value = view.option_value(option)
    if value is None or not value.text.startswith("/"):
        return place
    return Cache(place.label, (value.text,), cleaners=place.cleaners)


# --------------------------------------------------------------------------- fixes


def _append_after(ctx: RuleContext, run: _Run, index: int, text: str) -> TextEdit | None:
    """An edit that runs ``text`` right after command ``index`` of the RUN, in the
    RUN's own layout (``&&`` on the same line, or a new continuation line in the
    leading-``&&`` or trailing-``&&`` style; a new line in a heredoc body).
    None where a shell command cannot be added safely (exec form, a pipeline)."""
    ins = run.at.ins
    commands = run.commands
    cmd = commands[index]
    if ins.exec_form is not None and not cmd.wrappers:
        return None
    nxt = commands[index + 1] if index + 1 < len(commands) else None
    if cmd.in_substitution or (nxt is not None and nxt.connector in ("|", "&")):
        return None
    end = max([cmd.span.end, *(r.span.end for r in cmd.redirects)])
    doc = ctx.document
    if end.line >= len(doc.lines):
        return None
    heredoc = next((h for h in ins.heredocs if h.body.span.start <= end <= h.body.span.end), None)
    inline = TextEdit(Span(end, end), f" && {text}")
    if (cmd.wrappers and cmd.wrappers[-1] in ("sh", *_BRACE_SHELLS)) or ins.exec_form is not None:
        return inline  # inside a quoted command string: stay on its line
    first = heredoc.body.span.start.line if heredoc is not None else ins.span.start.line
    esc = "\\" if heredoc is not None else doc.escape
    nl = newline(doc)
    line = doc.lines[end.line]
    tail = line[end.column :].strip()
    own_line = (
        line[: cmd.span.start.column].strip() in ("", "&&") and cmd.span.start.line == end.line
    )
    previous = doc.lines[end.line - 1].rstrip() if end.line > first else ""
    trailing = re.search(r"&&\s*" + re.escape(esc) + "$", previous) is not None
    if tail == "":
        if own_line and line.lstrip().startswith("&&"):
            return TextEdit(Span(end, end), f" {esc}{nl}{indent(line)}&& {text}")
        if own_line and trailing:
            return TextEdit(Span(end, end), f" && {esc}{nl}{indent(line)}{text}")
        if heredoc is not None:
            return TextEdit(Span(end, end), f"{nl}{indent(line)}{text}")
        return inline
    if tail == esc:
        following = next(
            (
                doc.lines[k]
                for k in range(end.line + 1, min(ins.span.end.line + 1, len(doc.lines)))
                if doc.lines[k].strip() and not doc.lines[k].lstrip().startswith("#")
            ),
            "",
        )
        if following.lstrip().startswith("&&"):
            return TextEdit(Span(end, end), f" {esc}{nl}{indent(following)}&& {text}")
        return inline
    if own_line and re.fullmatch(r"&&\s*" + re.escape(esc), tail):
        return TextEdit(Span(end, end), f" && {esc}{nl}{indent(line)}{text}")
    return inline


def _last(run: _Run, programs: Iterable[str]) -> int:
    wanted = set(programs)
    return max(i for i, (prog, _) in enumerate(run.programs) if prog in wanted)


def _append_fix(
    ctx: RuleContext, run: _Run, programs: Iterable[str], text: str, title: str
) -> tuple[Fix, ...]:
    edit = _append_after(ctx, run, _last(run, programs), text)
    return (Fix(title, (edit,)),) if edit is not None else ()


# --------------------------------------------------------------------------- DKL101


_RECOMMENDS_FLAG = {"apt-get": "--no-install-recommends", "aptitude": "--without-recommends"}


_NO_RECOMMENDS_CONFIG = re.compile(
    r"APT::Install-Recommends\s*(?:=\s*|\s+)[\"']?(?:false|0|no)\b", re.IGNORECASE
)


def _apt_conf(path: str | None) -> bool:
    """Whether ``path`` is apt's configuration: /etc/apt/apt.conf or in apt.conf.d."""
    return path is not None and _inside(path, "/etc/apt") and "apt.conf" in path + "/"


def _writes_to(cmd: Command, at: Step) -> Iterator[str | None]:
    """The files a command writes: its ``>``/``>>`` redirections, and ``tee``'s files."""
    targets = [r.target for r in cmd.redirects if ">" in r.operator and "&" not in r.operator]
    if cmd.name == "tee":
        targets.extend(cmd.positionals())
    return (_path(t.text, at.cwd, at.env) for t in targets if t is not None)


def _configures_apt(ctx: RuleContext, at: Step) -> bool:
    """An instruction that writes apt configuration disabling recommends to apt.conf or
    apt.conf.d (or copies some apt configuration in, whose content we cannot see). The
    configuration is matched on the words as the shell passes them (quotes removed), or
    in a heredoc body; an ``-o`` option given to one apt command configures nothing else."""
    if at.ins.name != "RUN":
        return _apt_conf(_copy_dest(at))
    commands = ctx.script(at.ins).commands
    if not any(_apt_conf(path) for cmd in commands for path in _writes_to(cmd, at)):
        return False
    texts = [
        " ".join(_texts(cmd.argv)) for cmd in commands if _name(unwrap(cmd)) not in _RECOMMENDS_FLAG
    ]
    texts.extend(h.body.text for h in at.ins.heredocs)
    return any(_NO_RECOMMENDS_CONFIG.search(t) for t in texts)


@rule(
    "DKL101",
    "apt-install-recommends",
    Category.BLOAT,
    Severity.WARNING,
    summary="apt installs recommended packages too, unless told not to.",
    hadolint=("DL3015",),
    docs=RuleDocs(
        what="`apt-get install` or `apt install` (and `aptitude install`) without "
        "`--no-install-recommends` (`--without-recommends` for aptitude), without "
        "`-o APT::Install-Recommends=false` on that command, and with no configuration "
        "written earlier in the stage (to /etc/apt/apt.conf or /etc/apt/apt.conf.d) that "
        "turns recommends off. Each install command is checked on its own: an `-o` option "
        "on one install does not cover the next. The option may come anywhere, even after "
        "the package list. Only "
        "stages whose layers ship are checked.",
        why="By default apt also installs every package the requested ones *recommend*. "
        "These are not needed to run them and often pull in large trees: python3-pip, "
        "for example, recommends build-essential and python3-dev, a whole C toolchain "
        "and headers. Everything installed stays in the layer and in the image.",
        example="RUN apt-get update && apt-get install -y curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*",
        instead="RUN apt-get update && apt-get install -y --no-install-recommends curl "
        "ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*",
        fix_safety="The quick fix inserts `--no-install-recommends` after `install`. It is "
        "marked unsafe: a recommended package the image relies on (ca-certificates for "
        "curl over HTTPS is the classic) is no longer installed and must then be listed "
        "explicitly.",
        references=(
            _BEST_PRACTICES + "#apt-get",
            "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
        ),
    ),
)
def apt_install_recommends(ctx: RuleContext) -> Iterator[Hit]:
    for at, configured in _configured(ctx, lambda at: _configures_apt(ctx, at)):
        if at.ins.name != "RUN" or configured:
            continue
        for cmd in ctx.script(at.ins).commands:
            prog, view = _program(cmd)
            flag = _RECOMMENDS_FLAG.get(prog)
            sub = view.subcommand()
            if flag is None or sub is None or sub.text != "install":
                continue
            names = (flag, "-R") if prog == "aptitude" else (flag,)
            if view.has_option(*names) or any(
                _NO_RECOMMENDS_CONFIG.search(w.text) for w in view.args
            ):
                continue
            yield Hit(
                sub.span,
                f"`{cmd.argv[0].text} install` also installs every recommended package; "
                f"add `{flag}` and list what you need.",
                fixes=(
                    Fix(
                        f"Add {flag} (recommended packages are no longer installed)",
                        (insert_after(at.ins, sub, flag),),
                        safe=False,
                    ),
                ),
            )


# ------------------------------------------------------------------- shared by the cache rules


def _fills(run: _Run, tools: Iterable[str]) -> list[tuple[int, _Leftover]]:
    """The leftovers of the given tools, by command index."""
    wanted = set(tools)
    return [
        (i, left)
        for i in range(len(run.programs))
        for left in run.leftovers(i)
        if left.tool in wanted
    ]


def _written(cmd: Command, word: Word) -> str:
    """How a message quotes a command: its program and its positional words up to the
    one underlined (``go mod download``)."""
    program = cmd.argv[0].text.rsplit("/", 1)[-1]
    if word is cmd.argv[0]:
        return program
    positionals = cmd.positionals()
    upto = next((k for k, w in enumerate(positionals) if w is word), None)
    leading = positionals[: upto + 1] if upto is not None else (word,)
    return " ".join((program, *_texts(leading)))


# --------------------------------------------------------------------------- DKL102


_APT_PROGRAMS = ("apt-get", "aptitude")
_APT_LISTS_CLEANUP = "rm -rf /var/lib/apt/lists/*"


@rule(
    "DKL102",
    "apt-lists-left",
    Category.BLOAT,
    Severity.WARNING,
    summary="A RUN that installs apt packages leaves the package lists in its layer.",
    hadolint=("DL3009",),
    docs=RuleDocs(
        what="A RUN in a shipping stage that runs `apt-get update` (or `apt-get install` "
        "with package lists that nothing earlier left behind) and does not remove "
        "/var/lib/apt/lists in the same RUN: by `rm -rf /var/lib/apt/lists/*` (a glob "
        "or a parent directory also counts), by `apt-get dist-clean` (apt 2.7 and later), "
        "or because a cache or tmpfs mount covers /var/lib/apt or /var/lib/apt/lists. "
        "Brace expansion such as `rm -rf /var/lib/{apt,dpkg}/lists` only counts when the "
        "SHELL is bash: /bin/sh removes nothing there. Only a cleanup that runs when the "
        "install succeeds counts: not one after `||`, nor one in the `else` branch. The "
        "official Debian and Ubuntu "
        "images clean the downloaded .deb files automatically, but not the lists.",
        why="The package lists are tens of MB of indexes that are only needed while apt "
        "runs. Files written by a RUN stay in its layer for good: removing them in a later "
        "RUN hides them but does not make the image smaller (see DKL109).",
        example="RUN apt-get update && apt-get install -y --no-install-recommends curl",
        instead="RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*",
        fix_safety="The quick fix appends `rm -rf /var/lib/apt/lists/*` right after the "
        "last apt command of the RUN (or a later `add-apt-repository`, which fills the lists "
        "again), in the RUN's own continuation style (a new line in "
        "a heredoc body). Safe: it is not offered when a later RUN (in this stage or a "
        "stage built FROM it) installs without its own `apt-get update`, because that "
        "install needs the lists; merge the two RUNs instead. No fix either for an "
        "exec-form RUN or when the apt command feeds a pipe.",
        references=(_BEST_PRACTICES + "#apt-get", _CACHE_MOUNTS),
    ),
)
def apt_lists_left(ctx: RuleContext) -> Iterator[Hit]:
    present = False  # lists left by an earlier RUN of the shipping chain are on disk
    for run in _runs(ctx):
        updates = _fills(run, ("apt",))
        installs = [
            (i, sub)
            for i, (prog, view) in enumerate(run.programs)
            if prog in _APT_PROGRAMS and (sub := view.subcommand()) is not None
            if sub.text == "install"
        ]
        busy = [i for i, _ in (*updates, *installs)]
        if not busy:
            if any(run.empties(i, APT_LISTS) for i in range(len(run.programs))):
                present = False
            continue
        if run.hides(APT_LISTS, busy[0]):
            continue
        if run.emptied(APT_LISTS, max(busy)):
            present = False
            continue
        if not updates and present:
            continue  # the lists come from an earlier RUN, which is reported
        present = True
        if installs:
            word = installs[0][1]
            message = (
                f"This RUN installs apt packages but leaves the package lists in "
                f"/var/lib/apt/lists (tens of MB) in its layer; end it with "
                f"`{_APT_LISTS_CLEANUP}`."
            )
        else:
            i, found = updates[0]
            word = found.word
            message = (
                f"`{_written(run.commands[i], word)}` downloads package lists (tens of MB) to "
                f"/var/lib/apt/lists and nothing in this RUN removes them; they stay in its "
                f"layer. Remove them in the same RUN with `{_APT_LISTS_CLEANUP}`."
            )
        relies = _installs_from_lists(ctx, run.at)
        if relies is not None:
            message += (
                f" A later RUN (line {line_no(relies.span)}) installs from these lists: move "
                f"its install into this RUN."
            )
        # After the last apt command, and after whatever fills the lists (add-apt-repository
        # runs apt-get update itself): there the cleanup is what the check looks for.
        apt = [i for i, (prog, _) in enumerate(run.programs) if prog in _APT_PROGRAMS]
        edit = _append_after(ctx, run, max(apt + busy), _APT_LISTS_CLEANUP)
        yield Hit(
            word.span,
            message,
            fixes=()
            if relies is not None or edit is None
            else (Fix("Remove /var/lib/apt/lists at the end of this RUN", (edit,)),),
        )


def _installs_from_lists(ctx: RuleContext, at: Step) -> Word | None:
    """A later ``apt-get install`` (in this stage or one built FROM it) that runs no
    ``apt-get update`` of its own, and so needs the lists this RUN leaves behind."""
    after = False
    for later in _walk(ctx, shipping=False):
        if later.ins is at.ins:
            after = True
            continue
        if not after or later.ins.name != "RUN":
            continue
        if not any(s is at.stage for s in ctx.graph.chain(later.stage)):
            continue
        updated = False
        for cmd in ctx.script(later.ins).commands:
            prog, view = _program(cmd)
            sub = view.subcommand()
            updated = updated or any(f.tool == "apt" for f in _leftovers(prog, view, {}, None))
            installs = prog in _APT_PROGRAMS and sub is not None and sub.text == "install"
            if installs and not updated:
                return sub
    return None


# --------------------------------------------------------------------------- DKL103


@rule(
    "DKL103",
    "apk-cache-left",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="apk keeps its package index in /var/cache/apk.",
    hadolint=("DL3019",),
    docs=RuleDocs(
        what="`apk add` without `--no-cache`, or `apk update` (and `apk upgrade` without "
        "`--no-cache`), in a shipping stage, when the same RUN does not remove "
        "/var/cache/apk and no cache or tmpfs mount covers it.",
        why="Without `--no-cache`, apk stores the repository indexes (the APKINDEX files, "
        "a few MB together) in /var/cache/apk, and they stay in the layer. On an image "
        "whose base is under 6 MB, that is a large share. `apk add --no-cache` fetches "
        "fresh indexes without storing them, so `apk update` is not needed either.",
        example="RUN apk update && apk add curl",
        instead="RUN apk add --no-cache curl",
        fix_safety="The quick fix inserts `--no-cache` after `add`, and deletes an "
        "`apk update` run just before it in the same RUN (with its `&&` or `;`): the "
        "`--no-cache` add fetches fresh indexes itself. Safe: the same packages are "
        "installed from freshly fetched indexes. An `apk update` that is not simply run "
        "right before the add (another command in between, after `||`, in a condition or "
        "another subshell) stays and is reported on its own.",
        references=(
            "https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper",
            _BEST_PRACTICES,
        ),
    ),
)
def apk_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        left = [(i, f) for i, f in _fills(run, ("apk",)) if run.left(i, f.place)]
        adds = [(i, f) for i, f in left if f.word.text == "add"]
        # `apk add --no-cache` fetches a fresh index: an `apk update` run just before the
        # add is deleted by the add's fix.
        updates = {i for i, f in left if f.word.text == "update"}
        for j, found in adds:
            update = run.deletion(j - 1) if j - 1 in updates else None
            yield Hit(
                found.word.span,
                "`apk add` without `--no-cache` keeps the package index in /var/cache/apk "
                "in this layer; add `--no-cache`"
                + (" (the `apk update` before it is then not needed)." if update else "."),
                fixes=(
                    Fix(
                        "Add --no-cache" + (" and drop apk update" if update else ""),
                        (
                            *((update,) if update else ()),
                            insert_after(run.at.ins, found.word, "--no-cache"),
                        ),
                    ),
                ),
            )
        if left and not adds:
            word = left[0][1].word
            yield Hit(
                word.span,
                f"`apk {word.text}` stores the package index in /var/cache/apk and nothing "
                f"in this RUN removes it. Use `apk add --no-cache`, which fetches a fresh "
                f"index without keeping it.",
            )


# --------------------------------------------------------------------------- DKL104


@rule(
    "DKL104",
    "pip-cache-left",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="pip or uv keeps its download cache in the layer.",
    hadolint=("DL3042",),
    docs=RuleDocs(
        what="`pip install` (`pip3`, `python -m pip`, `pip install --upgrade pip` "
        "included) in a shipping stage without `--no-cache-dir`, without `PIP_NO_CACHE_DIR` "
        "set (by ENV, ARG, `export` or inline), without a cache or tmpfs mount on the pip "
        "cache (~/.cache/pip, or $PIP_CACHE_DIR) and without removing it (`pip cache "
        "purge`, `rm -rf ~/.cache/pip`) later in the same RUN. Also uv's installs, `uv pip "
        "install`/`uv pip sync`, `uv sync`, `uv add`, `uv run` (which syncs the project "
        "first) and `uv tool install`, without `--no-cache`, `UV_NO_CACHE`, a mount on "
        "~/.cache/uv (or $UV_CACHE_DIR) or `uv cache clean` later in the same RUN. "
        "About PIP_NO_CACHE_DIR: pip disables the cache for every boolean value it "
        "accepts, `false`, `0` and `off` included (kept for backwards compatibility), and "
        "refuses other values; so any non-empty value counts as set.",
        why="pip stores every downloaded wheel and HTTP response under ~/.cache/pip (uv "
        "under ~/.cache/uv), a second copy of everything it installed. For large packages "
        "this is a lot: a single torch wheel is hundreds of MB. The cache is never used "
        "again in the image.",
        example="RUN pip install -r requirements.txt",
        instead="RUN pip install --no-cache-dir -r requirements.txt",
        fix_safety="The quick fix inserts `--no-cache-dir` after `install` (`--no-cache` "
        "after uv's subcommand). Safe: the same packages are installed.",
        references=(
            "https://pip.pypa.io/en/stable/topics/caching/",
            "https://docs.astral.sh/uv/guides/integration/docker/#caching",
            _CACHE_MOUNTS,
        ),
    ),
)
def pip_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        for i, found in _fills(run, ("pip", "uv")):
            if not run.left(i, found.place):
                continue
            if found.tool == "pip":
                flag, written, other = "--no-cache-dir", "pip install", "PIP_NO_CACHE_DIR=1"
            else:
                flag, other = "--no-cache", "UV_NO_CACHE=1"
                written = run.quote(i, found.word)
            yield Hit(
                found.word.span,
                f"`{written}` keeps every downloaded wheel in {found.place.label}, a second "
                f"copy left in this layer; add `{flag}` (or set `ENV {other}`, or use a "
                f"cache mount).",
                fixes=(Fix(f"Add {flag}", (insert_after(run.at.ins, found.word, flag),)),),
            )


# --------------------------------------------------------------------------- DKL105


def _rpm_family(prog: str) -> tuple[str, ...]:
    return ("zypper",) if prog == "zypper" else RPM_MANAGERS


@rule(
    "DKL105",
    "rpm-cache-left",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="yum, dnf, microdnf or zypper leave their metadata and package cache behind.",
    hadolint=("DL3032", "DL3036", "DL3040"),
    docs=RuleDocs(
        what="`yum`, `dnf`, `microdnf`, `tdnf` or `zypper` installing, updating or "
        "refreshing in a shipping stage without a matching clean later in the same RUN "
        "(`yum clean all`, `dnf clean all`, `microdnf clean all`, `zypper clean`, or "
        "removing /var/cache/yum, /var/cache/dnf, /var/cache/libdnf5 or /var/cache/zypp) "
        "and without a cache or tmpfs mount on that directory.",
        why="These managers download repository metadata (and, depending on the "
        "configuration, the packages) into /var/cache; the metadata of a full "
        "distribution repository is large and useless once the RUN is over, and what a "
        "RUN leaves stays in its layer.",
        example="RUN dnf install -y python3",
        instead="RUN dnf install -y python3 && dnf clean all",
        fix_safety="The quick fix appends `<manager> clean all` (`zypper clean --all`) "
        "after the last command of that manager in the RUN. Safe.",
        references=(
            "https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command",
            "https://en.opensuse.org/SDB:Zypper_manual",
            _BEST_PRACTICES,
        ),
    ),
)
def rpm_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        reported: set[Cache] = set()
        for i, found in _fills(run, (*RPM_MANAGERS, "zypper")):
            if found.place in reported or not run.left(i, found.place):
                continue
            reported.add(found.place)
            family = _rpm_family(found.tool)
            last = run.commands[_last(run, family)]
            clean = "zypper clean --all" if found.tool == "zypper" else f"{last.name} clean all"
            yield Hit(
                found.word.span,
                f"`{_written(run.commands[i], found.word)}` leaves repository metadata and "
                f"cached packages in {found.place.label} in this layer; end the RUN with "
                f"`{clean}`.",
                fixes=_append_fix(ctx, run, family, clean, f"Append {clean}"),
            )


# --------------------------------------------------------------------------- DKL106


_NODE_CLEAN = {"npm": "npm cache clean --force", "yarn": "yarn cache clean"}


@rule(
    "DKL106",
    "node-package-cache-left",
    Category.BLOAT,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="npm or yarn leave their package cache in the layer.",
    hadolint=("DL3060",),
    docs=RuleDocs(
        what="`npm install`/`npm ci` (also `-g`), or `yarn`/`yarn install`/`yarn add`/"
        "`yarn global add`, in a shipping stage without cleaning the cache later in the "
        "same RUN (`npm cache clean --force`, `yarn cache clean`, or removing ~/.npm or "
        "the yarn cache directory) and without a cache or tmpfs mount on it (/root/.npm, "
        "/usr/local/share/.cache/yarn, ~/.cache/yarn, or where `npm_config_cache`, "
        "`YARN_CACHE_FOLDER`, `--cache` or `--cache-folder` point). pnpm is not reported: "
        "it hard-links packages from its store into node_modules, so in one layer the "
        "store costs little beyond its index.",
        why="npm keeps a compressed copy of every package it downloaded in ~/.npm/_cacache; "
        "yarn 1 keeps an unpacked copy of every package, often as large as node_modules "
        "itself. Neither is used again in the image.",
        example="RUN npm ci --omit=dev",
        instead="RUN npm ci --omit=dev && npm cache clean --force\n"
        "# or: RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev",
        fix_safety="The quick fix appends `npm cache clean --force` (or `yarn cache "
        "clean`) after the last npm (yarn) command of the RUN. Safe.",
        references=(
            "https://docs.npmjs.com/cli/commands/npm-cache",
            "https://classic.yarnpkg.com/en/docs/cli/cache",
            _CACHE_MOUNTS,
        ),
    ),
)
def node_package_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        for tool, clean in _NODE_CLEAN.items():
            found = next(((i, f) for i, f in _fills(run, (tool,)) if run.left(i, f.place)), None)
            if found is None:
                continue
            i, left = found
            written = _written(run.commands[i], left.word)
            yield Hit(
                left.word.span,
                f"`{written}` leaves its package cache ({left.place.label}) in this layer; "
                f"end the RUN with `{clean}` or use a cache mount.",
                fixes=_append_fix(ctx, run, (tool,), clean, f"Append {clean}"),
            )


# --------------------------------------------------------------------------- DKL107


_GEMRC = re.compile(r"(?:gem|install|update)\s*:[^\n]*--no-(?:document|doc|ri|rdoc)\b")
_GEMRC_FILES = ("/etc/gemrc", "/usr/local/etc/gemrc")
_DOCUMENTED_RUBY = frozenset({"ruby", "rails"})  # official images write gemrc: --no-document


def _configures_gems(at: Step) -> bool:
    if at.ins.name == "RUN":
        return any(_GEMRC.search(t) for t in _shell_text(at))
    dest = _copy_dest(at) or ""
    return dest.endswith(".gemrc") or dest in _GEMRC_FILES


def _skips_docs(view: Command) -> bool:
    if view.has_option("--no-document", "--no-doc", "-N"):
        return True
    return view.has_option("--no-ri") and view.has_option("--no-rdoc")


@rule(
    "DKL107",
    "gem-documentation-installed",
    Category.BLOAT,
    Severity.WARNING,
    summary="gem install generates documentation nobody reads in a container.",
    docs=RuleDocs(
        what="`gem install` or `gem update` in a shipping stage without `--no-document` "
        "(or the older `--no-ri --no-rdoc`), when no gemrc written earlier says "
        "`--no-document`. Images built on the official ruby image are not reported: it "
        "writes `install: --no-document` to /usr/local/etc/gemrc.",
        why="RubyGems generates ri documentation for every gem it installs, and it stays "
        "in the layer; nobody reads it inside a container. (hadolint's DL3028 is about "
        "pinning gem versions, not documentation.)",
        example="RUN gem install bundler",
        instead="RUN gem install --no-document bundler",
        fix_safety="The quick fix inserts `--no-document` after `install` (`update`). "
        "Safe: only the documentation is skipped.",
        references=("https://guides.rubygems.org/command-reference/#gem-install",),
    ),
)
def gem_documentation_installed(ctx: RuleContext) -> Iterator[Hit]:
    def configures(at: Step) -> bool:
        info = ctx.image(at.stage)
        return _configures_gems(at) or (info is not None and info.family in _DOCUMENTED_RUBY)

    for at, configured in _configured(ctx, configures):
        if at.ins.name != "RUN" or configured:
            continue
        for cmd in ctx.script(at.ins).commands:
            sub = cmd.subcommand()
            if cmd.name != "gem" or sub is None or sub.text not in ("install", "update"):
                continue
            if _skips_docs(cmd):
                continue
            yield Hit(
                sub.span,
                f"`gem {sub.text}` also generates documentation for every gem, left in this "
                f"layer; add `--no-document`.",
                fixes=(Fix("Add --no-document", (insert_after(at.ins, sub, "--no-document"),)),),
            )


# --------------------------------------------------------------------------- DKL108


_BUILD_TOOLS = ("go", "cargo", "maven", "gradle", "poetry", "composer", "dotnet")
_NO_CACHE_TOOLS = frozenset({"poetry"})


@rule(
    "DKL108",
    "language-build-cache-left",
    Category.BLOAT,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="A build or dependency tool leaves its cache in a shipping layer.",
    docs=RuleDocs(
        what="In a shipping stage, a RUN whose build or dependency tool fills a cache that "
        "stays in the layer: `go build`/`go test`/`go mod download` (~/.cache/go-build, "
        "/go/pkg/mod), `cargo build`/`cargo install` (the Cargo registry, ./target), `mvn` "
        "(~/.m2), `gradle` (~/.gradle), `poetry install` (~/.cache/pypoetry), `composer "
        "install` and `dotnet restore`/`build`/`publish` (~/.nuget/packages); uv's cache "
        "is DKL104's, with pip's. Not reported when a cache "
        "or tmpfs mount covers the cache, when the same RUN removes it afterwards (`go "
        "clean -cache`, `cargo clean`, `poetry cache clear`, `rm -rf`), "
        "when the tool is told not to cache (`--no-cache`, "
        "`COMPOSER_CACHE_DIR=/dev/null`), or when the cache directory is moved by its "
        "variable (GOCACHE, POETRY_CACHE_DIR…) to a place that is mounted or removed.",
        why="Build caches are typically hundreds of MB (every module, crate, jar and "
        "intermediate object) and are useless at run time. In a builder stage they do not "
        "matter; in a shipping stage they are part of the image.",
        example="FROM golang:1.23\nRUN go build -o /app ./cmd/app",
        instead="RUN --mount=type=cache,target=/root/.cache/go-build \\\n"
        "    --mount=type=cache,target=/go/pkg/mod go build -o /app ./cmd/app\n"
        "# better: build in a builder stage and copy the binary into a small runtime image",
        fix_safety="For Poetry the quick fix inserts `--no-cache` after the "
        "subcommand (safe: the same packages are installed). The other tools get no fix: "
        "add cache mounts (BuildKit) or move the build to a builder stage.",
        references=(
            _CACHE_MOUNTS,
            "https://python-poetry.org/docs/cli/#global-options",
            "https://pkg.go.dev/cmd/go#hdr-Build_and_test_caching",
        ),
    ),
)
def language_build_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        by_tool: dict[str, list[tuple[int, _Leftover]]] = {}
        for i, found in _fills(run, _BUILD_TOOLS):
            if run.left(i, found.place):
                by_tool.setdefault(found.tool, []).append((i, found))
        for tool, lefts in by_tool.items():
            i, first = lefts[0]
            places = list(dict.fromkeys(f.place.label for _, f in lefts))
            written = run.quote(i, first.word)
            fixes: tuple[Fix, ...] = ()
            if tool in _NO_CACHE_TOOLS:
                edits = tuple(
                    dict.fromkeys(insert_after(run.at.ins, f.word, "--no-cache") for _, f in lefts)
                )
                fixes = (Fix("Add --no-cache", edits),)
            yield Hit(
                first.word.span,
                f"`{written}` leaves {' and '.join(places)} in this shipping layer; use a "
                f"cache mount, remove it in the same RUN, or build in a separate stage.",
                fixes=fixes,
            )


# --------------------------------------------------------------------------- files brought in


_ARCHIVE = re.compile(
    r"\.(?:tar(?:\.(?:gz|bz2|xz|zst|lz4?|lzma|Z))?|tgz|tbz2?|txz|tzst|zip|gz|bz2|xz|zst|7z)$",
    re.IGNORECASE,
)
_PACKAGE_FILE = re.compile(
    r"\.(?:deb|rpm|apk|whl|gem|jar|war|ear|run|bin|appimage|msi|exe|iso)$", re.IGNORECASE
)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Artifact:
    """A bulky file or directory an instruction brought into the image."""

    path: str  # absolute
    origin: Span  # the word or token that brought it in
    how: str  # "copied by COPY on line 3"
    archive: bool  # a compressed archive meant to be extracted
    directory: bool = False  # a tree of files (removing its contents counts)
    onbuild: bool = False  # brought in by an ONBUILD trigger


def _url_name(text: str) -> str:
    """The file name at the end of a URL or path (query and fragment dropped)."""
    if _URL.match(text):
        text = re.split(r"[?#]", text, maxsplit=1)[0]
    return posixpath.basename(text.rstrip("/"))


def _copied(at: Step) -> list[_Artifact]:
    """What a COPY or ADD brings in that is bulky: directories, archives, packages, URLs."""
    ins = at.ins
    tokens = [(t.text, t.span) for t in operands(ins) if not t.text.startswith("<<")]
    if len(tokens) < 2:
        return []
    *sources, (dest_text, _) = tokens
    dest = _path(dest_text, at.cwd, at.env)
    if dest is None:
        return []
    into = dest_text.endswith("/") or len(sources) > 1 or dest_text in (".", "./")
    how = f"{'copied' if ins.name == 'COPY' else 'added'} by {ins.name} on line {line_no(ins.span)}"
    found: list[_Artifact] = []
    for text, span in sources:
        remote = _URL.match(text) is not None
        name = _url_name(text)
        directory = not remote and (text in (".", "./") or text.endswith("/"))
        extracted = ins.name == "ADD" and not remote and ins.flag("from") is None
        archive = bool(_ARCHIVE.search(name)) and not (extracted and ADD_EXTRACTS.search(name))
        unpacked = extracted and ADD_EXTRACTS.search(name) is not None
        if not (directory or unpacked or archive or remote or _PACKAGE_FILE.search(name)):
            continue
        if directory or unpacked or not name:
            found.append(_Artifact(dest, span, how, False, True, at.onbuild))
            continue
        # Without a trailing slash the destination is the file, unless it is a directory.
        for path in (posixpath.join(dest, name),) if into else (dest, posixpath.join(dest, name)):
            found.append(_Artifact(path, span, how, archive, False, at.onbuild))
    return found


def _downloaded(run: _Run, index: int) -> list[_Artifact]:
    """The files ``curl -o/-O`` or ``wget`` write."""
    prog, view = run.programs[index]
    cwd = run.cwds[index]
    if prog not in ("curl", "wget") or cwd is None:
        return []
    env = run.envs[index]
    named: list[str] = []
    directory = cwd
    remote_name = prog == "wget"
    for opt in view.options():
        value = opt.value.text if opt.value is not None else None
        if opt.name in ("-o", "--output", "-O", "--output-document") and value is not None:
            if (prog == "curl") == (opt.name in ("-o", "--output")) and value != "-":
                named.append(value)
            remote_name = False
        elif opt.name in ("-O", "--remote-name", "--remote-name-all") and prog == "curl":
            remote_name = True
        elif opt.name in ("--output-dir", "-P", "--directory-prefix") and value is not None:
            directory = _path(value, cwd, env) or directory
    if remote_name:
        named.extend(_url_name(w.text) for w in view.positionals() if _URL.match(w.text))
    word = run.commands[index].argv[0]
    how = f"downloaded by {word.text} on line {line_no(word.span)}"
    found: list[_Artifact] = []
    for name in named:
        path = _path(name, directory, env)
        if path is not None and name:
            archive = bool(_ARCHIVE.search(name))
            found.append(_Artifact(path, word.span, how, archive, False, run.at.onbuild))
    return found


def _extracted(run: _Run, index: int) -> list[str]:
    """The archives a ``tar -x``, ``unzip`` or ``gunzip`` command reads."""
    prog, view = run.programs[index]
    cwd = run.cwds[index]
    if cwd is None:
        return []
    files: list[Word] = []
    if prog == "tar":
        positionals = view.positionals()
        old = positionals[0].text if positionals and not view.args[0].text.startswith("-") else ""
        if old.isalpha() and "x" in old:
            files = list(positionals[1:2]) if "f" in old else []
        elif view.has_option("-x", "--extract", "--get"):
            value = view.option_value("-f", "--file")
            files = [value] if value is not None else []
    elif prog == "unzip":
        files = list(view.positionals(("-d", "-x"))[:1])
    elif prog in ("gunzip", "bunzip2", "unxz", "unzstd"):
        files = list(view.positionals())
    paths = [_path(w.text, cwd, run.envs[index]) for w in files if w.text != "-"]
    return [p for p in paths if p is not None]


# --------------------------------------------------------------------------- DKL109


def _packages(prog: str, view: Command) -> tuple[str, bool, list[Word]] | None:
    """(manager family, installs?, package words) for an install or removal command."""
    sub = view.subcommand()
    if sub is None:
        return None
    install = sub.text in PACKAGE_INSTALLS.get(prog, ())
    if not install and sub.text not in PACKAGE_REMOVALS.get(prog, ()):
        return None
    words = [
        w
        for w in view.positionals()[1:]
        if not w.dynamic and not w.text.startswith(("/", "./", "-")) and w.text
    ]
    if prog == "apk" and sub.text == "add":
        virtual = view.option_value("--virtual", "-t")
        if virtual is not None:
            words.append(virtual)
    return ("rpm" if prog in RPM_MANAGERS else prog), install, words


@rule(
    "DKL109",
    "cleanup-in-later-layer",
    Category.BLOAT,
    Severity.WARNING,
    summary="A later RUN deletes what an earlier layer added: the image does not shrink.",
    docs=RuleDocs(
        what="In the stages that ship, a RUN that removes something an earlier instruction "
        "put in the image: a package-manager cache or list left by an earlier RUN (apt "
        "lists, /var/cache/apk, pip, uv, npm, yarn, yum/dnf/zypper, Go, Poetry… caches: "
        "`rm -rf`, `apt-get dist-clean`, `yum clean all`, `npm cache clean`, `pip cache "
        "purge`…), packages installed by an earlier RUN (`apt-get purge`, `apk del`, "
        "`dnf remove`), or a directory, archive, package file or download brought in by "
        "an earlier COPY, ADD or `curl`/`wget`.",
        why="Each instruction adds a layer, and a layer can only add or hide files. "
        "Deleting in a later layer marks the files as gone, but their bytes stay in the "
        "earlier layer and are still downloaded and stored with the image. Only cleanup "
        "in the same RUN that created the files reduces the size.",
        example="RUN apt-get update && apt-get install -y --no-install-recommends g++\n"
        "RUN make && apt-get purge -y g++ && rm -rf /var/lib/apt/lists/*",
        instead="RUN apt-get update && apt-get install -y --no-install-recommends g++ \\\n"
        "    && make && apt-get purge -y g++ && rm -rf /var/lib/apt/lists/*",
        fix_safety="No automatic fix: merging the RUNs changes what is cached and is a "
        "choice to make by hand. For build-only tools, a builder stage is usually better.",
        references=(_LAYERS, _BEST_PRACTICES),
    ),
)
def cleanup_in_later_layer(ctx: RuleContext) -> Iterator[Hit]:
    # What earlier instructions left, with the word that did it and whether it is a trigger.
    caches: dict[Cache, tuple[Word, bool]] = {}
    installed: dict[tuple[str, str], tuple[Word, bool]] = {}  # by (family, package)
    artifacts: dict[str, _Artifact] = {}  # bulky paths from earlier instructions
    for at in _walk(ctx, shipping=True):
        if at.ins.name in ("COPY", "ADD"):
            artifacts.update((a.path, a) for a in _copied(at))
            continue
        if at.ins.name != "RUN":
            continue
        run = _Run.of(ctx, at)
        if not run.commands:
            continue
        produced: dict[Cache, tuple[int, Word]] = {}
        installs: dict[tuple[str, str], tuple[Word, bool]] = {}
        downloads: dict[str, _Artifact] = {}
        extracted = {p for i in range(len(run.programs)) for p in _extracted(run, i)}
        for i, (prog, view) in enumerate(run.programs):
            cmd = run.commands[i]
            for place, (origin, onbuild) in list(caches.items()):
                if place in produced or not at.sees(onbuild):
                    continue
                if run.hides(place, i) or not run.empties(i, place):
                    continue
                del caches[place]
                yield _later_hit(
                    cmd.argv[0],
                    f"`{cmd.argv[0].text}` removes {place.label}, filled",
                    origin,
                    "filled here",
                )
            changes = _packages(prog, view)
            if changes is not None:
                family, install, words = changes
                keys = [(family, package_name(w.text)) for w in words]
                if install:
                    installs.update((k, (w, at.onbuild)) for k, w in zip(keys, words, strict=True))
                earlier = [
                    k
                    for k in keys
                    if not install and k in installed and k not in installs
                    if at.sees(installed[k][1])
                ]
                if earlier:
                    sub = view.subcommand() or cmd.argv[0]
                    names = ", ".join(name for _, name in earlier)
                    yield _later_hit(
                        sub,
                        f"`{_written(cmd, sub)}` removes {names}, installed",
                        installed[earlier[0]][0],
                        "installed here",
                    )
                    for key in earlier:
                        del installed[key]
            for pattern in run.removed(i):
                hit = next(
                    (
                        art
                        for path, art in artifacts.items()
                        if at.sees(art.onbuild)
                        and _removes(pattern, path, art.directory)
                        and not (art.archive and path in extracted)
                    ),
                    None,
                )
                if hit is None:
                    continue
                artifacts = {p: a for p, a in artifacts.items() if a.origin != hit.origin}
                yield _later_hit(
                    cmd.argv[0],
                    f"`{cmd.argv[0].text}` removes {pattern}, brought in",
                    hit.origin,
                    hit.how,
                )
            for found in run.leftovers(i):
                produced.setdefault(found.place, (i, found.word))
            downloads.update((a.path, a) for a in _downloaded(run, i))
        for place, (_, onbuild) in list(caches.items()):
            if (
                at.sees(onbuild)
                and not run.hides(place, 0)
                and any(run.empties(i, place) for i in range(len(run.programs)))
            ):
                del caches[place]
        for place, (index, word) in produced.items():
            if run.left(index, place):
                caches[place] = (word, at.onbuild)
        installed.update(installs)
        artifacts.update(downloads)


def _later_hit(word: Word, what: str, origin: Word | Span, how: str) -> Hit:
    """``what`` reads "`rm` removes /x, brought in" and is completed with where."""
    span = origin.span if isinstance(origin, Word) else origin
    return Hit(
        word.span,
        f"{what} by an earlier layer (line {line_no(span)}): the bytes stay in that layer, so "
        f"the image does not get smaller. Remove them in the instruction that added them.",
        related=(Related(span, how),),
    )


# --------------------------------------------------------------------------- DKL110


_APT_UPGRADES = frozenset({"upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"})
_RPM_UPGRADES = frozenset({"update", "upgrade", "distro-sync", "upgrade-minimal"})
_ZYPPER_UPGRADES = frozenset({"update", "up", "dist-upgrade", "dup", "patch"})


def _system_upgrade(prog: str, view: Command) -> Word | None:
    """The subcommand word of a whole-system upgrade (no package names given)."""
    positionals = view.positionals()
    if not positionals:
        return None
    sub, names = positionals[0], positionals[1:]
    if prog in _APT_PROGRAMS:
        return sub if sub.text in _APT_UPGRADES else None
    if prog == "apk":
        wanted: frozenset[str] = frozenset({"upgrade"})
    elif prog in RPM_MANAGERS:
        wanted = _RPM_UPGRADES
    elif prog == "zypper":
        wanted = _ZYPPER_UPGRADES
    else:
        return None
    return sub if sub.text in wanted and not names else None


@rule(
    "DKL110",
    "package-upgrade",
    Category.BLOAT,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="A whole-system package upgrade inside the image.",
    hadolint=("DL3005", "DL3017", "DL3031", "DL3035", "DL3039"),
    docs=RuleDocs(
        what="`apt-get upgrade`/`dist-upgrade`/`full-upgrade`, `apk upgrade`, `yum`/`dnf`/"
        "`microdnf update|upgrade` and `zypper update|dist-upgrade|patch` without package "
        "names, in a stage that ships. Upgrading named packages is not reported.",
        why="It is a trade-off, which is why this rule is only informational. For: the "
        "image gets the distribution's security fixes published since the base image was "
        "built, which is sound security practice (hadolint retired its rules against "
        "upgrading, DL3005, DL3017, DL3031 and DL3039, for exactly that reason; they are "
        "listed here only so that existing `# hadolint ignore=` comments keep working). "
        "Against: every upgraded package is stored a second time in this layer on top of "
        "the base image's copy (the image grows by the size of all upgraded packages), "
        "and the result depends on the day of the build, so two builds of the same "
        "Dockerfile differ. Where you can, get the fixes from the base image instead: use "
        "a recent tag, rebuild regularly, or pin a digest you update; keep the upgrade "
        "when the base image lags behind security fixes you need.",
        example="FROM debian:bookworm-slim\nRUN apt-get update && apt-get -y upgrade",
        instead="FROM debian:bookworm-slim  # rebuilt often, or pinned to a recent digest",
        fix_safety="No automatic fix.",
        references=(_BEST_PRACTICES + "#apt-get", _DOCKERFILE + "#from"),
    ),
)
def package_upgrade(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        for i, (prog, view) in enumerate(run.programs):
            sub = _system_upgrade(prog, view)
            if sub is not None:
                yield Hit(
                    sub.span,
                    f"`{_written(run.commands[i], sub)}` upgrades every package of the base "
                    f"image in this layer: the new versions are stored on top of the old "
                    f"ones and change from build to build. Prefer a recent base image.",
                )


# --------------------------------------------------------------------------- DKL111


_WITH_CURL_AND_WGET = frozenset({"node", "python", "ruby", "golang", "rust", "buildpack-deps"})


def _ships_both_downloaders(ctx: RuleContext) -> bool:
    """The final image's base already has both tools (buildpack-deps based full images),
    or its wget is the busybox applet (Alpine, busybox)."""
    final = ctx.graph.final
    info = ctx.image(final) if final is not None else None
    if info is None:
        return False
    if info.package_manager == "apk" or info.family == "busybox":
        return True
    return info.kind == "full" and info.family in _WITH_CURL_AND_WGET


@rule(
    "DKL111",
    "curl-and-wget",
    Category.BLOAT,
    Severity.INFORMATION,
    summary="The image uses both curl and wget.",
    hadolint=("DL4001",),
    docs=RuleDocs(
        what="Both `curl` and `wget` run in the stages that ship (RUN and HEALTHCHECK). "
        "Not reported when the final image's base already carries both (the full "
        "buildpack-deps based node, python, ruby, golang and rust images) or when wget is "
        "busybox's built-in applet (Alpine, busybox).",
        why="Each tool and its libraries must be installed to be used; one of them does the "
        "job of both, so the other is dead weight (and one more thing to patch).",
        example="RUN curl -fsSLO https://example.com/a.tgz\nHEALTHCHECK CMD wget -q -O- "
        "http://localhost/health",
        instead="HEALTHCHECK CMD curl -fsS http://localhost/health",
        fix_safety="No automatic fix: pick one tool and rewrite the other's invocations.",
        references=("https://github.com/hadolint/hadolint/wiki/DL4001",),
    ),
)
def curl_and_wget(ctx: RuleContext) -> Iterator[Hit]:
    first: dict[str, Word] = {}
    for at in _walk(ctx, shipping=True):
        if at.ins.name not in ("RUN", "HEALTHCHECK"):
            continue
        for cmd in ctx.script(at.ins).commands:
            if cmd.name in ("curl", "wget") and cmd.name not in first:
                first[cmd.name] = cmd.argv[0]
    if len(first) < 2 or _ships_both_downloaders(ctx):
        return
    earlier, later = sorted(first.values(), key=lambda w: w.span.start)
    yield Hit(
        later.span,
        f"The image uses both curl and wget (`{earlier.text}` on line {line_no(earlier.span)}); "
        f"one of them is enough.",
        related=(Related(earlier.span, f"{earlier.text} is used here"),),
    )


# --------------------------------------------------------------------------- DKL112


_LOG_RECORD_BYTES = 292 + 32  # a lastlog and a faillog record on 64-bit glibc
_HIGH_UID = 65536


@rule(
    "DKL112",
    "useradd-without-no-log-init",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="useradd with a large UID writes huge sparse log files into the layer.",
    hadolint=("DL3046",),
    docs=RuleDocs(
        what="`useradd -u <uid>` with a UID of 65536 or more and without `-l`/"
        "`--no-log-init`, in a stage that ships. (hadolint's DL3046 fires from 100000.)",
        why="shadow's useradd writes the new user's records into /var/log/lastlog and "
        "/var/log/faillog at an offset proportional to the UID (292 + 32 bytes per UID on "
        "64-bit systems). On disk the files are sparse, but image layers store them in "
        "full: UID 100000 adds about 32 MB, UID 1000000 about 324 MB, and very large "
        "UIDs can exhaust the disk during the build.",
        example="RUN useradd -u 1000000 app",
        instead="RUN useradd --no-log-init -u 1000000 app",
        fix_safety="The quick fix inserts `--no-log-init` after `useradd`. Safe: the "
        "only difference is that the user gets no lastlog/faillog entries.",
        references=(
            _BEST_PRACTICES + "#user",
            "https://manpages.debian.org/bookworm/passwd/useradd.8.en.html",
        ),
    ),
)
def useradd_without_no_log_init(ctx: RuleContext) -> Iterator[Hit]:
    for run in _runs(ctx):
        for cmd in run.commands:
            if cmd.name != "useradd" or cmd.has_option("-l", "--no-log-init"):
                continue
            uid = cmd.option_value("-u", "--uid")
            if uid is None or not uid.text.isdigit() or int(uid.text) < _HIGH_UID:
                continue
            size = (int(uid.text) + 1) * _LOG_RECORD_BYTES / 1e6
            yield Hit(
                cmd.argv[0].span,
                f"`useradd -u {uid.text}` without `--no-log-init` writes lastlog/faillog "
                f"records at an offset proportional to the UID: about {size:,.0f} MB of "
                f"sparse files stored in full in this layer.",
                fixes=(
                    Fix(
                        "Add --no-log-init",
                        (insert_after(run.at.ins, cmd.argv[0], "--no-log-init"),),
                    ),
                ),
            )


# --------------------------------------------------------------------------- DKL113


_MANAGER_FAMILY = {
    "apt-get": "apt",
    "apk": "apk",
    "yum": "rpm",
    "dnf": "rpm",
    "microdnf": "rpm",
    "tdnf": "rpm",
    "zypper": "zypper",
    "pacman": "pacman",
}
_IMAGE_FAMILY = {"apt": "apt", "apk": "apk", "dnf": "rpm", "yum": "rpm", "microdnf": "rpm"}
_MANAGER_PACKAGES = {"apk": "apk-tools", "apt-get": "apt"}
_OWN_COMMANDS = {  # the commands an image's own package manager answers to
    "apt": frozenset({"apt-get", "apt"}),
    "apk": frozenset({"apk"}),
    "dnf": frozenset({"dnf", "dnf5", "yum"}),
    "yum": frozenset({"yum"}),
    "microdnf": frozenset({"microdnf"}),
}


def _foreign(prog: str, manager: str) -> bool:
    """Whether package manager ``prog`` is missing on an image whose manager is ``manager``."""
    family = _MANAGER_FAMILY.get(prog)
    if family is None:
        return False
    if manager == "none":
        return True
    if family != _IMAGE_FAMILY.get(manager, family):
        return True
    if manager == "microdnf":
        return prog in ("yum", "dnf")
    return manager == "yum" and prog in ("dnf", "microdnf")


def _mismatch_view(at: Step, ctx: RuleContext) -> tuple[_Run, ImageInfo, bool] | None:
    """A RUN under a Linux image with known facts: its commands, the image's package
    manager, and whether it uses several managers (or the image's own ones) itself."""
    info = ctx.image(at.stage)
    if at.ins.name != "RUN" or info is None or info.os != "linux":
        return None
    run = _Run.of(ctx, at)
    manager = info.package_manager
    mentioned = {w.text.rsplit("/", 1)[-1] for c in run.commands for w in c.argv}
    own = _OWN_COMMANDS.get(manager, frozenset())
    multi = (
        bool(mentioned & own)
        or len({_MANAGER_FAMILY[p] for p, _ in run.programs if p in _MANAGER_FAMILY}) > 1
    )
    return run, info, multi


def _installs(run: _Run, i: int) -> Iterator[str]:
    prog, view = run.programs[i]
    changes = _packages(prog, view)
    if changes is not None and changes[1]:
        yield from (package_name(w.text) for w in changes[2])


def _installed_by(ctx: RuleContext, stage: Stage) -> frozenset[str]:
    """The packages installed by the end of ``stage``, along its FROM chain (a stage
    with no instructions passes nothing on)."""
    if not steps(ctx, stage):
        return frozenset()
    found = set(_installed_before(ctx, stage))
    for at in steps(ctx, stage):
        view = _mismatch_view(at, ctx)
        if view is not None:
            for i in range(len(view[0].programs)):
                found.update(_installs(view[0], i))
    return frozenset(found)


def _installed_before(ctx: RuleContext, stage: Stage) -> frozenset[str]:
    parent = ctx.graph.parent(stage)
    return ctx.memo_each(_installed_by, parent, parent.index) if parent else frozenset()


@rule(
    "DKL113",
    "package-manager-mismatch",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="The package manager does not exist in the stage's base image.",
    docs=RuleDocs(
        what="A package-manager command that the stage's base image does not have: `apk` "
        "on a Debian or Ubuntu image, `apt-get` on Alpine, `yum`/`dnf` on Debian or "
        "Alpine, `dnf` on a yum-only image (CentOS 7, Amazon Linux 2), `yum`/`dnf` on "
        "ubi-minimal (microdnf only), and any package manager on scratch, distroless, "
        "static or busybox images, which have none. The base image is the external image "
        "at the root of the stage's FROM chain; unknown images are not checked. RUNs "
        "that also mention the image's own manager (scripts written for several "
        "distributions), and managers installed earlier in the stage, are not reported.",
        why="The command does not exist there: the build fails with 'not found', or, "
        "when a script ignores the failure, the packages are silently missing.",
        example="FROM python:3.12-slim\nRUN apk add --no-cache curl",
        instead="FROM python:3.12-slim\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
        fix_safety="No automatic fix: translate the command and the package names, or "
        "change the base image.",
        references=(_DOCKERFILE + "#from", "https://hub.docker.com/_/alpine"),
    ),
)
def package_manager_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        installed = set(_installed_before(ctx, stage))  # so far, along the chain
        for at in steps(ctx, stage):
            view = _mismatch_view(at, ctx)
            if view is None:
                continue
            run, info, multi = view
            manager = info.package_manager
            for i, (prog, _) in enumerate(run.programs):
                cmd = run.commands[i]
                installed.update(_installs(run, i))
                if multi or cmd.in_condition or not _foreign(prog, manager):
                    continue
                if {prog, _MANAGER_PACKAGES.get(prog, prog), cmd.name} & installed:
                    continue
                image = info.reference
                what = (
                    f"`{image}` has no package manager"
                    if manager == "none"
                    else f"`{image}` uses {manager}"
                )
                yield Hit(
                    cmd.argv[0].span,
                    f"`{cmd.argv[0].text}` is not available here: {what}.",
                )


# --------------------------------------------------------------------------- DKL114


@rule(
    "DKL114",
    "archive-extracted-in-later-layer",
    Category.BLOAT,
    Severity.WARNING,
    summary="An archive is brought in by one layer and extracted in a later one.",
    hadolint=("DL3010",),
    docs=RuleDocs(
        what="In the stages that ship, `tar -x`, `unzip` or `gunzip` of an archive that an "
        "earlier instruction put in the image: a COPY of a local archive, an ADD of a "
        "URL or of a .zip (ADD does not extract those), or a `curl`/`wget` download in an "
        "earlier RUN.",
        why="The archive stays in the layer that brought it in, even if the extracting "
        "RUN deletes it afterwards: the image carries both the archive and its contents.",
        example="COPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt && "
        "rm /tmp/vendor.tar.gz",
        instead="ADD vendor.tar.gz /opt/   # a local tar archive is extracted by ADD\n"
        "# or download, extract and delete in one RUN:\n"
        "RUN curl -fsSL https://example.com/v.tgz | tar -xz -C /opt",
        fix_safety="No automatic fix: use ADD for a local tar archive, or fetch and "
        "extract in the same RUN (or in a builder stage).",
        references=(_DOCKERFILE + "#add", _BEST_PRACTICES + "#add-or-copy"),
    ),
)
def archive_extracted_in_later_layer(ctx: RuleContext) -> Iterator[Hit]:
    archives: dict[str, _Artifact] = {}
    for at in _walk(ctx, shipping=True):
        if at.ins.name in ("COPY", "ADD"):
            archives.update((a.path, a) for a in _copied(at) if a.archive)
            continue
        if at.ins.name != "RUN":
            continue
        run = _Run.of(ctx, at)
        for i in range(len(run.programs)):
            for path in _extracted(run, i):
                archive = archives.get(path)
                if archive is None or not at.sees(archive.onbuild):
                    continue
                del archives[path]
                word = run.commands[i].argv[0]
                yield Hit(
                    word.span,
                    f"`{word.text}` extracts {posixpath.basename(path)}, {archive.how}: the "
                    f"archive stays in that layer next to what is extracted here.",
                    related=(Related(archive.origin, archive.how),),
                )
        for i in range(len(run.programs)):
            archives.update((a.path, a) for a in _downloaded(run, i) if a.archive)


# --------------------------------------------------------------------------- DKL115


_OCTAL = re.compile(r"[0-7]{3,4}")


@dataclass(frozen=True, slots=True)
class _Copy:
    at: Step
    dest: str
    runs: int  # how many RUNs of the stage came before it


def _copy_dest(at: Step) -> str | None:
    """Where a COPY or ADD puts its files (None for other instructions, or when unknown)."""
    words = operands(at.ins) if at.ins.name in ("COPY", "ADD") else ()
    return _path(words[-1].text, at.cwd, at.env) if len(words) >= 2 else None


@rule(
    "DKL115",
    "recursive-chown-after-copy",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="chown -R or chmod -R over copied files stores them a second time.",
    docs=RuleDocs(
        what="`chown -R` or `chmod -R` in a RUN of a shipping stage, over a path where an "
        "earlier COPY or ADD of the same stage put files (the same path, a parent or a "
        "child; relative paths are resolved against WORKDIR and `cd`).",
        why="Changing a file's owner or mode in a new layer copies the whole file into "
        "that layer: every copied file is then stored twice, and the image grows by the "
        "size of everything the command touched (node_modules or a virtualenv: hundreds "
        "of MB). COPY and ADD can set the owner and mode while copying.",
        example="COPY . /app\nRUN chown -R node:node /app",
        instead="COPY --chown=node:node . /app",
        fix_safety="When the RUN is only that command and nothing ran between the copies "
        "and it, the quick fix adds `--chown=<owner>` (or `--chmod=<mode>`, BuildKit only) "
        "to those COPY/ADD instructions and deletes the RUN. It is marked unsafe: "
        "`--chown` does not change directories that existed before the copy (such as the "
        "WORKDIR itself), which `chown -R` did, and files created by anything else under "
        "that path keep their owner.",
        references=(_DOCKERFILE + "#copy---chown---chmod", _LAYERS),
    ),
)
def recursive_chown_after_copy(ctx: RuleContext) -> Iterator[Hit]:
    copies: dict[int, list[_Copy]] = {}  # per stage
    runs: dict[int, int] = {}  # per stage: RUNs so far
    for at in _walk(ctx, shipping=True):
        index = at.stage.index
        if at.ins.name in ("COPY", "ADD"):
            dest = _copy_dest(at)
            if dest is not None:
                copies.setdefault(index, []).append(_Copy(at, dest, runs.get(index, 0)))
            continue
        if at.ins.name != "RUN":
            continue
        runs[index] = runs.get(index, 0) + 1
        if index not in copies:
            continue
        run = _Run.of(ctx, at)
        for i, (prog, view) in enumerate(run.programs):
            cwd = run.cwds[i]
            positionals = view.positionals()
            if prog not in ("chown", "chmod") or cwd is None or len(positionals) < 2:
                continue
            if not view.has_option("-R", "--recursive"):
                continue
            targets = [_path(w.text, cwd, run.envs[i]) for w in positionals[1:]]
            covered = [
                c
                for c in copies[index]
                if at.sees(c.at.onbuild)
                if any(
                    t is not None and (_inside(c.dest, t) or _inside(t, c.dest)) for t in targets
                )
            ]
            if not covered:
                continue
            what = "owner with --chown" if prog == "chown" else "mode with --chmod"
            lone = len(run.commands) == 1 and all(c.runs == runs[index] - 1 for c in covered)
            yield Hit(
                view.argv[0].span,
                f"`{prog} -R` rewrites files that COPY/ADD put there (line "
                f"{line_no(covered[0].at.ins.span)}), storing each of them again in this "
                f"layer; set the {what} on the COPY instead.",
                related=tuple(Related(c.at.ins.keyword.span, "copied here") for c in covered),
                fixes=_copy_flag_fix(ctx, run, i, covered) if lone else (),
            )


def _copy_flag_fix(
    ctx: RuleContext, run: _Run, index: int, covered: list[_Copy]
) -> tuple[Fix, ...]:
    """Move a lone ``chown -R``/``chmod -R`` RUN into --chown/--chmod flags of the copies."""
    prog, view = run.programs[index]
    ins = run.at.ins
    value = view.positionals()[0]
    option = "chown" if prog == "chown" else "chmod"
    if (
        ins.flags
        or run.at.onbuild
        or value.dynamic
        or (option == "chmod" and not _OCTAL.fullmatch(value.text))
        or (option == "chown" and "." in value.text and ":" not in value.text)
        or any(c.at.ins.flag(option) is not None for c in covered)
    ):
        return ()
    edits = [
        TextEdit(
            Span(c.at.ins.keyword.span.end, c.at.ins.keyword.span.end), f" --{option}={value.text}"
        )
        for c in covered
    ]
    edits.append(TextEdit(whole_lines(ctx.document, ins), ""))
    title = f"Use {covered[0].at.ins.name} --{option}={value.text} and delete this RUN"
    return (Fix(title, tuple(edits), safe=False),)


RULES: tuple[Rule, ...] = (
    apt_install_recommends,
    apt_lists_left,
    apk_cache_left,
    pip_cache_left,
    rpm_cache_left,
    node_package_cache_left,
    gem_documentation_installed,
    language_build_cache_left,
    cleanup_in_later_layer,
    package_upgrade,
    curl_and_wget,
    useradd_without_no_log_init,
    package_manager_mismatch,
    archive_extracted_in_later_layer,
    recursive_chown_after_copy,
)
