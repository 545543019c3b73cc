"""DKL205 npm-install-in-build: Project dependencies are installed with `npm install`
instead of `npm ci`."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from dockerls.context import PackageManager
from dockerls.findings import Fix, TextEdit
from dockerls.rules.build_state import Step, steps
from dockerls.rules.dependency_steps import NPM_CI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import context_sources, in_exec_form, mounts
from dockerls.rules.stages.project_installs import project_install
from dockerls.rules.stages.run_commands import step_runs
from dockerls.shell import Word
from dockerls.syntax import Instruction, Severity


def _replace_word(ins: Instruction, word: Word, text: str) -> TextEdit:
    return TextEdit(word.span, f'"{text}"' if in_exec_form(ins, word) else text)


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
            for run in step_runs(ctx, step):
                found = project_install(run, (PackageManager.NPM,))
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
