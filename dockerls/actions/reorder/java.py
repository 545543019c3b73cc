"""Java: Maven and Gradle install implicitly in the build (``mvn package``, ``gradle
build``); ``mvn -B dependency:go-offline`` or ``gradle dependencies`` (from ``pom.xml`` or
the Gradle build files, and the project's wrapper script) is inserted above the sources."""

from __future__ import annotations

from collections.abc import Sequence

from dockerls.actions.reorder.core import SAFE_NAME, Files, Manager, No, PrefetchWords, flag_present
from dockerls.dockerignore import go_clean
from dockerls.rules.dependency_steps import DependencyStep
from dockerls.rules.engine import RuleContext
from dockerls.shell import Command, Word

_GRADLE_FILES = ("settings.gradle", "settings.gradle.kts", "build.gradle", "build.gradle.kts")
_GRADLE_NOTE = "gradle.properties, buildSrc/ or a version catalog, if any, are not copied"


def wrapper_script(step: DependencyStep) -> str | None:
    """``mvnw``/``gradlew`` when the step runs the project's wrapper script."""
    word = step.command.argv[0].text
    base = word.rsplit("/", 1)[-1]
    if base not in ("mvnw", "gradlew"):
        return None
    path = go_clean(word)
    return path if "/" not in path and SAFE_NAME.match(path) else None


def _gradle_files(ctx: RuleContext, step: DependencyStep, prefix: str, known: bool) -> Files | No:
    build = ctx.build_context
    wrapper = wrapper_script(step)
    if not known:
        names = ["*.gradle*"]
        directories: list[str] = []
        if wrapper is not None:
            names.append(wrapper)
            directories.append("gradle")
        return Files(
            tuple(names),
            tuple(directories),
            (_GRADLE_NOTE,),
        )
    candidates = (*_GRADLE_FILES, "gradle.properties", "gradle.lockfile")
    names = [f for f in candidates if build.has_file(f)]
    if not any(f in names for f in _GRADLE_FILES):
        return No("no settings.gradle or build.gradle at the root of the build context.")
    if wrapper is not None:
        if not build.has_file(wrapper):
            return No(f"{wrapper} is not at the root of the build context.")
        names.append(wrapper)
    names = [n for n in names if build.sends_to_daemon(n) is not False]
    directories = [
        d
        for d in ("gradle", "buildSrc")
        if build.has_directory(d) and build.directory_sent(d) is not False
    ]
    return Files(tuple(names), tuple(directories))


def _maven_options(cmd: Command) -> list[str]:
    """Profiles and properties of a Maven command (they change what it resolves)."""
    kept: list[str] = []
    args = cmd.args
    i = 0
    while i < len(args):
        text = args[i].raw
        if text in ("-P", "--activate-profiles", "-D", "--define") and i + 1 < len(args):
            kept += [text, args[i + 1].raw]
            i += 2
            continue
        if text.startswith(("-P", "-D", "--activate-profiles=", "--define=")):
            kept.append(text)
        i += 1
    return kept


def _maven_prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    if all(p.text.startswith("dependency:") for p in positionals):
        return None
    return True, ["-B", *_maven_options(step.command), "dependency:go-offline"]


def _gradle_prefetch(
    step: DependencyStep, positionals: Sequence[Word], sub: str
) -> PrefetchWords | No | None:
    if all(p.text in ("dependencies", "resolveDependencies") for p in positionals):
        return None
    extra = ["dependencies"]
    if flag_present(step.command, "--no-daemon"):
        extra.append("--no-daemon")
    return True, extra


MAVEN = Manager(
    "Maven",
    manifest=("pom.xml",),
    patterns=("pom.xml",),
    elsewhere=("-f", "--file", "-s", "--settings", "-gs", "--global-settings"),
    cache_hints=(".m2", "purge-local-repository"),
    prefetch=_maven_prefetch,
)
GRADLE = Manager(
    "Gradle",
    config_files=("gradle.properties",),
    elsewhere=("-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file"),
    cache_hints=(".gradle",),
    prefetch=_gradle_prefetch,
    files=_gradle_files,
)
