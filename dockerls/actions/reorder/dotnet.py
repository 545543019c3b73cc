""".NET: ``dotnet restore`` (from the project and solution files, NuGet configuration and
``Directory.Build.*``) moves above the sources, or is inserted there when a ``dotnet
build``/``publish`` restores implicitly."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dockerls.actions.reorder.core import SAFE_NAME, Files, Manager, No, PrefetchWords
from dockerls.dockerignore import go_clean
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, Word

_CONFIG_FILES = (
    "nuget.config",
    "NuGet.config",
    "NuGet.Config",
    "global.json",
    "Directory.Build.props",
    "Directory.Build.targets",
    "Directory.Packages.props",
)


def _dotnet_files(ctx: RuleContext, step: DependencyStep, prefix: str, known: bool) -> Files | No:
    build = ctx.build_context
    named: list[str] = []
    for word in step.files:
        path = go_clean(word)
        if "$" in word or path.startswith(("..", "/")) or not SAFE_NAME.match(path):
            return No(f"the project file `{word}` is outside the sources or not plain.")
        named.append(path)
    if not known:
        if not named:
            return No(
                "the build context is unknown and the command names no project file, so "
                "dockerls cannot tell which project files to copy."
            )
        return Files(
            tuple(named),
            (),
            ("other projects it references, Directory.Build.props or NuGet.config are not copied",),
        )
    found = [
        f
        for f in sorted(build.files)
        if re.search(r"\.(csproj|fsproj|vbproj|sln|slnx)$", f, re.IGNORECASE)
        and SAFE_NAME.match(f)
        and build.sends_to_daemon(f) is not False
    ]
    for path in named:
        if path not in found:
            if build.has_file(path) is False:
                return No(f"{path} is not in the build context.")
            found.append(path)
    if not found:
        return No("no project file (*.csproj, *.sln) at the root of the build context.")
    extra = [
        f
        for f in (*_CONFIG_FILES, "packages.lock.json")
        if build.has_file(f) and build.sends_to_daemon(f) is not False
    ]
    ordered = sorted(found, key=lambda f: ("/" in f, f))
    return Files(tuple(dict.fromkeys([*ordered, *extra])))


def _dotnet_options(cmd: Command) -> list[str]:
    """The project files and target runtime of a dotnet build (restore needs the same)."""
    kept: list[str] = []
    args = cmd.args
    i = 0
    while i < len(args):
        raw, text = args[i].raw, args[i].text
        if text in ("-r", "--runtime", "-a", "--arch", "--os") and i + 1 < len(args):
            kept += [raw, args[i + 1].raw]
            i += 2
            continue
        if text.startswith(("--runtime=", "--arch=", "--os=")) or re.search(
            r"\.(csproj|fsproj|vbproj|sln|slnx)$", text, re.IGNORECASE
        ):
            kept.append(raw)
        i += 1
    return kept


def _prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    if not step.implicit:
        return None
    return True, ["restore", *_dotnet_options(step.command)]


DOTNET = Manager(
    ".NET",
    config_files=_CONFIG_FILES,
    cache_hints=(".nuget", "nuget"),
    prefetch=_prefetch,
    files=_dotnet_files,
)
