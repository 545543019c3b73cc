"""Ruby: ``bundle install`` on an official ruby image; the gems and the application copied
to the slim image of the same Ruby and Debian release (a slim or Alpine builder: the same
image, without the build packages).

The builder keeps the original base and every step. Before the first ``bundle install`` it
gains one ``ENV`` line with Bundler's production settings: ``BUNDLE_WITHOUT=development:test``
when the install brings the development gems (DKL204: nothing sets ``BUNDLE_WITHOUT``,
``BUNDLE_ONLY``, ``--without`` or ``bundle config without``), and ``BUNDLE_DEPLOYMENT=1``
when a ``Gemfile.lock`` is copied before the install, the file configures no locked mode
itself, and every gem program the build and the container start goes through ``bundle
exec`` (deployment installs the gems into ``vendor/bundle`` beside the Gemfile, where their
executables are not on ``PATH``). ENV was chosen over ``bundle config set --local``: the
settings are visible in both stages, and the runtime repeats the same line, so Bundler at
start (``bundle exec``, ``require "bundler/setup"``) skips the same groups and finds the
gems where the install put them, whoever the container runs as.

The runtime is ``ruby:<version>-slim`` of the builder's Debian release (``-slim-bookworm``
for ``-bookworm``), the builder itself when it is slim or Alpine. It installs the run-time
libraries of the ``-dev`` packages the builder installed (``libpq-dev`` → ``libpq5``), except
those the slim image keeps (libffi, libgmp, libssl, libyaml, zlib), receives the gems
directory (``GEM_HOME``, ``/usr/local/bundle`` in the official images, which is also their
``BUNDLE_APP_CONFIG``; ``BUNDLE_PATH`` or ``vendor/bundle`` when set) and the application
directories (asset precompilation's output included), repeats the ENV line, and runs as a
new user ``app`` unless the original chose one. Bundler is one of Ruby's default gems, so a
``CMD ["bundle", "exec", …]`` keeps working. The deprecated ``rails`` image is refused: its
tag does not say which Ruby it carries, and its ONBUILD triggers build before the first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockerls.actions.split.core import assemble, block_start
from dockerls.actions.split.original_stage import (
    app_paths,
    curl_healthcheck,
    cwd_of,
    destinations,
    entry,
    has_user,
    installed_packages,
    resolve,
    sub,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import (
    add_user,
    named_for_release,
    runtime_libraries,
    unknown_libraries,
)
from dockerls.context import PackageManager
from dockerls.knowledge.images import ImageInfo, alternatives
from dockerls.rules.build_state import Step, steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.rules.stages.dev_dependency_installs import truthy
from dockerls.rules.stages.dkl204_dev_dependencies_in_final_image import (
    dev_dependencies_in_final_image,
)
from dockerls.shell import Command
from dockerls.syntax import Stage

# GEM_HOME and BUNDLE_APP_CONFIG of the official ruby images (the Dockerfile cannot see them).
GEM_HOME = "/usr/local/bundle"
WITHOUT = "development:test"
# Every COPY destination is part of the application: Bundler reads the Gemfile at start.
_NOTHING = re.compile(r"(?!)")
# -dev packages whose libraries the slim and Alpine ruby images keep (or headers only).
RUBY_PRESENT = frozenset(
    {"libc6-dev", "libc-dev", "musl-dev", "linux-headers", "linux-libc-dev", "ruby-dev"}
    | {"libffi-dev", "libgmp-dev", "libssl-dev", "libyaml-dev", "zlib1g-dev", "libgdbm-dev"}
    | {"gmp-dev", "openssl-dev", "yaml-dev", "zlib-dev", "libreadline-dev", "readline-dev"}
)
# Bundler settings that decide what `bundle exec` loads and where it looks at run time.
_RUNTIME_KEYS = frozenset(
    {"without", "with", "only", "path", "deployment", "gemfile", "app_config", "path.system"}
)
_RESOLVES = frozenset({"update", "add", "remove"})
# Programs that run the application's gems (their executables or their code) without Bundler
# choosing the load path: with deployment, the gems are not in GEM_HOME any more.
_GEM_RUNNERS = frozenset(
    {"ruby", "rails", "rake", "puma", "rackup", "unicorn", "sidekiq", "thin", "irb"}
    | {"hanami", "jekyll", "passenger", "foreman", "bootsnap", "whenever", "good_job"}
)
_TESTS = frozenset({"rspec", "rubocop", "cucumber", "minitest", "standardrb", "brakeman"})
_EXEC = ["bundle", "exec"]


# The end of the note when a tag names no Debian release (``named_for_release``).
_NO_RELEASE = (
    "; name the release in the tag (-bookworm, -trixie) to be sure they match the builder's."
)


def _bundle(cmd: Command) -> tuple[Command, str] | None:
    """(the command, its Bundler verb) for ``bundle …``/``bundler …``; a bare ``bundle``
    installs. ``bundle exec x`` is not Bundler's work (``unwrap`` gives ``x``)."""
    work = unwrap(cmd)
    if program(work.name) != "bundle":
        return None
    return work, sub(work) or "install"


@dataclass(frozen=True, slots=True)
class _Setting:
    """One ``bundle config`` that sets a value: its RUN, the setting in Bundler's
    lower-case spelling, the value and whether it is the application's (--local)."""

    step: Step
    key: str
    value: str
    local: bool


def _config(step: Step, work: Command) -> _Setting | None:
    """What ``bundle config [set] [--local|--global] key value`` sets; None when it only
    reads or removes a setting."""
    words = [w.text for w in work.positionals()][1:]
    if words[:1] == ["set"]:
        words = words[1:]
    elif words[:1] in (["unset"], ["get"], ["list"]) or len(words) < 2:
        return None
    key = words[0].lower().removeprefix("bundle_").replace("__", ".")
    return _Setting(step, key, " ".join(words[1:]), work.has_option("--local"))


def plan_ruby(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    if info.family != "ruby":
        return (
            f"{info.reference} is the deprecated rails image: its tag does not say which Ruby "
            "it carries and its ONBUILD triggers copy the application and run `bundle "
            "install` before the first line; start FROM ruby:<version> with those steps "
            "written out, then split."
        )
    installs: list[Step] = []
    configured: list[_Setting] = []
    path_flag: str | None = None
    for step in steps(ctx, stage):
        if step.ins.name != "RUN" or step.onbuild:
            continue
        for cmd in ctx.script(step.ins).commands:
            found = _bundle(cmd)
            if found is None:
                continue
            work, verb = found
            line = step.ins.start_line + 1
            if verb in _RESOLVES:
                return (
                    f"`bundle {verb}` on line {line} changes the resolved gems during the "
                    "build; commit Gemfile.lock and run `bundle install`."
                )
            if verb == "config":
                setting = _config(step, work)
                if setting is not None:
                    configured.append(setting)
                continue
            if verb != "install":
                continue
            if cmd.wrappers or cmd.in_substitution or cmd.in_subshell:
                return f"The bundle install on line {line} is not a plain command."
            if any(c.name == "cd" for c in ctx.script(step.ins).commands):
                return f"The RUN on line {line} changes directory with `cd`; use WORKDIR."
            option = work.option_value("--path")
            if option is not None:
                path_flag = option.text
            if not installs or installs[-1] is not step:
                installs.append(step)
    if not installs:
        return (
            "No `bundle install` was found: without a Gemfile's gems there is nothing to build "
            "apart from the runtime."
        )
    for setting in configured:
        key = setting.key
        if key in _RUNTIME_KEYS and not setting.local:
            return (
                f"`bundle config` on line {setting.step.ins.start_line + 1} sets `{key}` in the "
                "building user's own ~/.bundle/config, which the runtime's user does not read; "
                f"set it with ENV (BUNDLE_{key.upper().replace('.', '__')}=…) or `bundle config "
                "set --local` instead."
            )
    later = _later_commands(ctx, stage, installs[0])
    tests = next((c for c in later if _runs_tests(c)), None)
    if tests is not None:
        return (
            f"`{' '.join(w.text for w in unwrap(tests).argv[:2])}` runs after the bundle install "
            "and needs the development and test gems; run the tests in a stage of their own, "
            "or drop them, then split."
        )
    argv = entry(stage) or []
    started = next((argv[i:] for i in (2, 0) if argv[i:] and argv[:i] in ([], _EXEC)), [])
    if started and _runs_tests_argv(started):
        return (
            f"The container runs the tests (`{' '.join(started[:2])}`), which need the "
            "development and test gems: there is no production image to split off."
        )
    paths = app_paths(ctx, stage, _NOTHING)
    if isinstance(paths, str):
        return paths
    runtimes = _runtimes(info)
    if not runtimes:
        return f"The knowledge base has no slim variant of {info.reference} to run on."

    notes: list[str] = []
    settings: list[str] = []
    first = installs[0]
    if _brings_dev(ctx, installs):
        settings.append(f"BUNDLE_WITHOUT={WITHOUT}")
        notes.append(
            f"The builder's bundle install runs with BUNDLE_WITHOUT={WITHOUT}: the development "
            "and test groups are not installed (other groups of the Gemfile still are)."
        )
    else:
        notes.append(
            "The bundle install leaves out development gems already (BUNDLE_WITHOUT, "
            "BUNDLE_ONLY, --without or `bundle config set --local without`)."
        )
    deployment = _deployment(ctx, stage, first, configured, later)
    if deployment is None:
        settings.append("BUNDLE_DEPLOYMENT=1")
        notes.append(
            "BUNDLE_DEPLOYMENT=1 installs exactly what Gemfile.lock says, into vendor/bundle "
            "beside the Gemfile: the install fails if the lockfile is out of date or lacks "
            "this platform (`bundle lock --add-platform x86_64-linux` on the host). Keep the "
            "host's .bundle and vendor/bundle out of the build context (.dockerignore)."
        )
    elif deployment:
        notes.append(deployment)
    if settings:
        env = "ENV " + " ".join(settings)
        notes.append(
            f"`{env}` is set before the install in the builder and repeated in the runtime "
            "(ENV rather than `bundle config set --local`: visible in both stages, and Bundler "
            "at start then skips the same groups and looks where the install wrote)."
        )
    path = next((s.value for s in configured if s.key == "path"), path_flag)
    gems = _gem_dirs(first, path, deployment is None)
    if isinstance(gems, str):
        return gems
    copied = [g for g in gems if not _inside(g, paths)]
    libraries, unknown = runtime_libraries(installed_packages(ctx, stage), RUBY_PRESENT)
    notes += unknown_libraries(unknown, "gems compiled against them need")
    notes += named_for_release(info, libraries, _NO_RELEASE)
    notes.insert(
        0,
        f"The runtime receives the gems ({', '.join(gems)}) and "
        + ", ".join(paths)
        + " from the builder: files the application reads elsewhere, or that RUN steps write "
        "elsewhere, must be copied too.",
    )
    if any("assets:precompile" in c.argv[-1].text for c in later if c.argv):
        notes.append(
            "The asset precompilation runs in the builder with the production settings; its "
            "output (public/assets) reaches the runtime with the application directory. Gems "
            "it needs from the development or test group are no longer installed."
        )
    if info.kind == "full":
        notes.append(
            f"{info.reference} ships C libraries (libpq, libxml2, libxslt, ImageMagick's "
            "headers…) that the slim image lacks: gems compiled against them without an "
            "apt-get install in the Dockerfile (pg, mysql2, rmagick) need their run-time "
            "libraries installed in the runtime stage."
        )
    if info.major_minor is None:
        notes.append(
            f"{info.reference} does not pin a Ruby version: build both stages from the same "
            "pull (or pin, e.g. 3.3) so the gems' compiled extensions match the runtime's Ruby."
        )
    notes += curl_healthcheck(stage)
    builder = Builder()
    if settings:
        # before the comments directly above the install, which speak of it
        previous = [i for i in stage.instructions if i.end_line < first.ins.start_line]
        floor = previous[-1].end_line if previous else stage.from_.end_line
        at = block_start(ctx.document.lines, first.ins, floor)
        text = ctx.document.lines[at]
        pad = text[: len(text) - len(text.lstrip())]
        builder.inserts.append((at, len(pad), f"ENV {' '.join(settings)}\n{pad}"))
    user = has_user(stage)
    for rt in runtimes:
        rt.packages = list(libraries)
        if user is None:
            add_user(rt, info.libc)
        rt.generated += [f"COPY --from={{build}} {g} {g}" for g in copied]
        rt.generated += [f"COPY --from={{build}} {p} {p}" for p in paths]
        if settings:
            rt.generated.append("ENV " + " ".join(settings))
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="ruby",
        builder=builder,
        runtimes=runtimes,
        warnings=notes,
    )


def _later_commands(ctx: RuleContext, stage: Stage, first: Step) -> list[Command]:
    """The commands of the RUNs from the first install on, the installs' own excepted."""
    out: list[Command] = []
    seen = False
    for step in steps(ctx, stage):
        seen = seen or step is first
        if not seen or step.ins.name != "RUN" or step.onbuild:
            continue
        out += [c for c in ctx.script(step.ins).commands if _bundle(c) is None]
    return out


def _runs_tests(cmd: Command) -> bool:
    """rspec, rubocop … (through ``bundle exec`` or not), ``rake test``/``rails spec``."""
    work = unwrap(cmd)
    name = program(work.name)
    if name in _TESTS:
        return True
    verb = sub(work) or ""
    return name in ("rake", "rails") and re.match(r"(test|spec)(:|$)", verb) is not None


def _runs_tests_argv(argv: list[str]) -> bool:
    """The same for the words the container starts with (``bundle exec`` taken off)."""
    name = program(argv[0])
    verb = next((w for w in argv[1:] if not w.startswith("-")), "")
    return name in _TESTS or (
        name in ("rake", "rails") and re.match(r"(test|spec)(:|$)", verb) is not None
    )


def _brings_dev(ctx: RuleContext, installs: list[Step]) -> bool:
    """Whether DKL204 reports one of the installs: nothing leaves the development gems out."""
    lines = {range(s.ins.start_line, s.ins.end_line + 1) for s in installs}
    return any(
        any(hit.span.start.line in r for r in lines)
        for hit in dev_dependencies_in_final_image.check(ctx)
    )


def _lock_copied(ctx: RuleContext, stage: Stage, first: Step) -> bool | None:
    """Whether a COPY/ADD before the first install brings Gemfile.lock (None: not known,
    ``COPY .`` with a build context that was not read)."""
    unknown = False
    for ins, _ in destinations(ctx, stage):
        if ins.start_line >= first.ins.start_line or ins.flag("from") is not None:
            continue
        words = [w.text for w in (ins.exec_form.elements if ins.exec_form else ins.args)][:-1]
        for word in words:
            name = word.rstrip("/").rsplit("/", 1)[-1]
            if name in ("Gemfile.lock", "Gemfile*", "*.lock", "Gemfile.*"):
                return True
            if word.rstrip("/") in (".", ""):  # the whole build context
                lockfiles = ctx.build_context.lockfiles_for(PackageManager.BUNDLER)
                if lockfiles is None:
                    unknown = True
                elif lockfiles:
                    return True
    return None if unknown else False


def _deployment(
    ctx: RuleContext,
    stage: Stage,
    first: Step,
    configured: list[_Setting],
    later: list[Command],
) -> str | None:
    """None when the split adds BUNDLE_DEPLOYMENT=1, else the note saying why not ("" when
    the file chose a locked mode itself)."""
    env = first.env
    if truthy(env.get("BUNDLE_DEPLOYMENT")) or truthy(env.get("BUNDLE_FROZEN")):
        return ""
    if any(s.key in ("deployment", "frozen") for s in configured):
        return ""
    for step in steps(ctx, stage):
        for cmd in ctx.script(step.ins).commands if step.ins.name == "RUN" else ():
            found = _bundle(cmd)
            if found is not None and found[0].has_option("--deployment", "--frozen"):
                return ""
    lock = _lock_copied(ctx, stage, first)
    if lock is None:
        return (
            "BUNDLE_DEPLOYMENT is not set: the build context was not read, so whether "
            "Gemfile.lock is copied before the install is not known."
        )
    if not lock:
        return "BUNDLE_DEPLOYMENT is not set: no Gemfile.lock is copied before the install."
    if resolve(first.cwd, ".") != cwd_of(ctx, stage, None):
        return (
            "BUNDLE_DEPLOYMENT is not set: the install runs in "
            f"{first.cwd}, not in the final working directory, where Bundler would look for "
            "vendor/bundle at start."
        )
    unbundled = _unbundled(stage, later)
    if unbundled is not None:
        return (
            "BUNDLE_DEPLOYMENT is not set: it would install the gems into vendor/bundle, off "
            f"PATH and GEM_HOME, and {unbundled} without `bundle exec`."
        )
    return None


def _unbundled(stage: Stage, later: list[Command]) -> str | None:
    """What runs the application's gems without ``bundle exec`` (a later RUN, or the
    container's command), if anything."""
    for cmd in later:
        work = unwrap(cmd)
        if work is not cmd and program(cmd.name) == "bundle":
            continue  # bundle exec x
        first = work.argv[0].text
        if program(first) in _GEM_RUNNERS or first.startswith(("bin/", "./bin/")):
            return f"a later RUN runs `{' '.join(w.text for w in work.argv[:2])}`"
    argv = entry(stage) or []
    if len(argv) < 2 or program(argv[0]) != "bundle" or argv[1] != "exec":
        return (
            f"the container starts `{' '.join(argv[:2])}`"
            if argv
            else "the container's command is the base image's"
        )
    return None


def _gem_dirs(first: Step, path: str | None, deployment: bool) -> list[str] | str:
    """Where the gems and Bundler's settings are: GEM_HOME (the official images'
    /usr/local/bundle unless the file sets it), BUNDLE_APP_CONFIG when set elsewhere, and
    the install path (BUNDLE_PATH, ``--path``, ``bundle config path``, vendor/bundle with
    deployment); a reason when one is not known."""
    env = first.env
    cwd = first.cwd
    for name in ("GEM_HOME", "BUNDLE_APP_CONFIG", "BUNDLE_PATH"):
        if name not in env and any(name in m for m in (first.scope.envs, first.scope.args)):
            return f"{name} (where Bundler keeps the gems or its settings) is not known yet."
    found = [env.get("GEM_HOME") or GEM_HOME]
    if env.get("BUNDLE_APP_CONFIG"):
        found.append(env["BUNDLE_APP_CONFIG"])
    path = env.get("BUNDLE_PATH") or path
    if path is None and deployment:
        path = "vendor/bundle"
    if path:
        found.append(path)
    out: list[str] = []
    for where in found:
        if "$" in where or "~" in where:
            return f"Where Bundler puts the gems ({where}) is not known before the build."
        absolute = resolve(cwd, where)
        if absolute == "/":
            return "Bundler installs the gems into /, which the split cannot copy apart."
        if absolute not in out and not _inside(absolute, out):
            out.append(absolute)
    return out


def _inside(path: str, roots: list[str]) -> bool:
    return any((path + "/").startswith(r.rstrip("/") + "/") for r in roots)


def _runtimes(info: ImageInfo) -> list[Runtime]:
    """The slim variant of the same Ruby, libc and Debian release; a slim or Alpine
    builder: itself."""
    if info.kind in ("slim", "alpine"):
        return [Runtime(info.reference, info.kind, " — same image, no build packages", info)]
    if info.kind != "full":
        return []
    return [
        Runtime(alt.reference, alt.kind, "", alt.info)
        for alt in alternatives(info)
        if alt.kind == "slim" and alt.info is not None and alt.info.libc == info.libc
    ]
