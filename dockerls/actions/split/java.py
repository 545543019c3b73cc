"""Java: one Maven or Gradle build on a JDK image, the jar copied to a JRE runtime.

The jar is the one ``CMD``/``ENTRYPOINT`` runs with ``java -jar``: its exact path
names the file to copy, so no guess about artifact names is needed (a shell-form
glob such as ``target/*.jar`` is copied as a glob into its directory, and the shell
expands it as before). It must lie under the build's ``target/`` (Maven) or
``build/libs/`` (Gradle). Runtimes: the JRE of the builder's Java major
(eclipse-temurin ``-jre``, its Alpine variant, and distroless java when the
container starts with an exec-form ``java -jar``). A tag that names no Java (``maven``,
``maven:3.9``, ``gradle:8``) runs on the Java its image carried when the knowledge was
gathered (``ImageInfo.runtime_default``); the notes say so, and that a floating builder
may move to a newer Java than the runtime's.
"""

from __future__ import annotations

from dockerls.actions.split.core import assemble
from dockerls.actions.split.original_stage import (
    NO_WORKDIR,
    base_cwd,
    cwd_of,
    entry,
    has_user,
    healthcheck,
    resolve,
    shell_form,
)
from dockerls.actions.split.plan import Builder, Runtime, SplitAction
from dockerls.actions.split.runtime_images import add_user, distroless_user
from dockerls.knowledge.images import Alternative, ImageInfo, alternatives
from dockerls.rules.engine import RuleContext
from dockerls.rules.programs import program, unwrap
from dockerls.shell import Command
from dockerls.syntax import Instruction, Stage

_GOALS = {
    "mvn": frozenset({"package", "install", "verify"}),
    "gradle": frozenset({"build", "assemble", "bootJar", "jar", "shadowJar"}),
}
_OUTPUT = {"mvn": "target", "gradle": "build/libs"}
_ELSEWHERE = ("-f", "--file", "-p", "--project-dir", "-b", "--build-file")


def _builds(ctx: RuleContext, stage: Stage) -> list[tuple[Instruction, Command, str]]:
    out: list[tuple[Instruction, Command, str]] = []
    for ins in stage.instructions:
        if ins.name != "RUN":
            continue
        for cmd in ctx.script(ins).commands:
            work = unwrap(cmd)
            tool = program(work.name)
            goals = _GOALS.get(tool)
            if goals is None:
                continue
            words = {w.text.rsplit(":", 1)[-1] for w in work.positionals()}
            if words & goals:
                out.append((ins, work, tool))
    return out


def _jar(stage: Stage) -> tuple[str, bool] | None:
    """The jar the container runs with ``java -jar`` (as written) and whether the start
    is exec-form ``ENTRYPOINT ["java", ...]`` (False: CMD, or shell form)."""
    argv = entry(stage)
    if not argv or program(argv[0]) != "java":
        return None
    words = argv[1:]
    for i, word in enumerate(words):
        if word == "-jar" and i + 1 < len(words):
            return words[i + 1], False
    return None


def plan_java(ctx: RuleContext, stage: Stage, info: ImageInfo) -> list[SplitAction] | str:
    builds = _builds(ctx, stage)
    if not builds:
        return "No Maven or Gradle build (mvn package, gradle build) was found to split off."
    if len(builds) > 1:
        return "The stage runs more than one Maven or Gradle build; not supported yet."
    ins, work, tool = builds[0]
    line = ins.start_line + 1
    if work.has_option(*_ELSEWHERE) or any(c.name == "cd" for c in ctx.script(ins).commands):
        return f"The build on line {line} runs in another directory (cd, -f or -p)."
    found = _jar(stage)
    if found is None:
        return (
            "The container does not start with `java -jar <jar>`, so the artifact to copy "
            "cannot be inferred (a `mvn spring-boot:run` start needs the JDK and Maven)."
        )
    jar, _ = found
    builder = Builder()
    warnings: list[str] = []
    if base_cwd(stage, ins):
        refused = _add_workdir(stage, jar, line, builder)
        if refused is not None:
            return refused
        warnings.append(_ADDED.format(line=line))
    final = builder.workdir or cwd_of(ctx, stage, None)
    path = resolve(final, jar)
    out_dir = resolve(builder.workdir or cwd_of(ctx, stage, ins), _OUTPUT[tool])
    if "$" in jar or not path.startswith(out_dir + "/") or "/" in path[len(out_dir) + 1 :]:
        return (
            f"The container runs {jar}, which is not a jar the build writes to "
            f"{out_dir}/ (the {'Maven' if tool == 'mvn' else 'Gradle'} output)."
        )
    major = info.runtime_version or info.runtime_default
    if major is None and info.family not in ("maven", "gradle"):
        major = info.major
    alts = alternatives(info)
    if not alts or major is None:
        return (
            f"The Java version of {info.reference} is not in its tag, and dockerls does not "
            "know which Java that tag's image carries, so the JRE to run on cannot be chosen "
            "(pin one, e.g. maven:3.9-eclipse-temurin-21)."
        )
    if "*" in path:
        copy = f"COPY --from={{build}} {path} {out_dir}/"
    else:
        copy = f"COPY --from={{build}} {path} {path}"
    runtimes = [rt for alt in alts if (rt := _runtime(stage, alt.kind, alt)) is not None]
    if not runtimes:
        return f"The knowledge base has no JRE image for {info.reference}."
    user = has_user(stage)
    for rt in runtimes:
        rt.generated.insert(0, copy)
        if user is None and rt.user is None:
            add_user(rt, rt.info.libc if rt.info is not None else "glibc")
    if info.runtime_version is None and info.runtime_default is not None:
        warnings.append(_assumed_java(info, info.runtime_default))
    warnings += [
        f"Only {path} reaches the runtime: files the application reads from the source "
        "tree or the build directory must be copied too."
    ]
    return assemble(
        ctx,
        stage,
        info=info,
        ecosystem="java",
        builder=builder,
        runtimes=runtimes,
        warnings=warnings,
    )


def _assumed_java(info: ImageInfo, java: str) -> str:
    """The note for a builder whose tag names no Java: which JRE, why, and the risk."""
    return (
        f"{info.reference} names no Java version: the runtime is a Java {java} JRE because "
        f"that tag's image carried JDK {java} ({info.runtime_default_basis}). The builder's "
        "tag floats: when it moves to a newer Java, the jar is compiled for a Java the "
        "runtime does not have and fails at start with UnsupportedClassVersionError. Pin "
        f"the builder to the runtime's Java (e.g. `{_pinned(info, java)}`), or set the "
        f"compiler's release to {java} or lower."
    )


def _pinned(info: ImageInfo, java: str) -> str:
    """The builder reference that names the Java of the runtime (maven:3.9-eclipse-temurin-26,
    gradle:8-jdk21)."""
    tag = info.tag if info.tag not in (None, "latest") else None
    if info.family == "maven":
        line = (tag or "3.9").removesuffix("-eclipse-temurin").removesuffix("eclipse-temurin")
        return f"{info.name}:{line or '3.9'}-eclipse-temurin-{java}"
    line, _, rest = (tag or "jdk").partition("-")
    if line in ("jdk", "noble"):
        return f"{info.name}:jdk{java}"
    rest = rest.removeprefix("jdk").removeprefix("-")
    return f"{info.name}:{line}-jdk{java}" + (f"-{rest}" if rest else "")


# The working directory the split chooses when the original has none.
_APP = "/app"
_ADDED = (
    "There was no WORKDIR before the build on line {line}: both stages now work in "
    f"{_APP} (WORKDIR {_APP} added after FROM). The original built in the base image's own "
    "working directory, which dockerls does not know, so this is a change: the sources are "
    f"copied to {_APP} and the jar is built there; check any absolute path that relied on "
    "the old directory."
)


def _add_workdir(stage: Stage, jar: str, line: int, builder: Builder) -> str | None:
    """``WORKDIR /app`` for both stages when the stage has no WORKDIR at all and the
    container starts the jar by a relative path (which then resolves in /app, where the
    build wrote it); otherwise why the base image's own directory cannot be replaced."""
    workdir = next((i for i in stage.instructions if i.name == "WORKDIR"), None)
    if workdir is not None:
        return NO_WORKDIR.format(what=f"the build on line {line}")
    if jar.startswith("/"):
        return (
            f"There is no WORKDIR before the build on line {line}, and the container runs "
            f"{jar} by an absolute path, which depends on the base image's own working "
            f"directory; add `WORKDIR {_APP}` first and run the jar by a path under it."
        )
    builder.inserts.append((stage.from_.end_line + 1, 0, f"WORKDIR {_APP}\n"))
    builder.workdir = _APP
    return None


def _runtime(stage: Stage, kind: str, alt: Alternative) -> Runtime | None:
    if kind == "jre":
        return Runtime(alt.reference, kind, "", alt.info)
    if kind == "alpine":
        rt = Runtime(alt.reference, kind, " — musl", alt.info)
        rt.warnings.append("Alpine uses musl: native libraries inside the jar (JNI) may not load.")
        return rt
    if kind != "distroless":
        return None
    argv = entry(stage) or []
    exec_entry = any(i.name == "ENTRYPOINT" and i.exec_form is not None for i in stage.instructions)
    cmds = [i for i in stage.instructions if i.name == "CMD"]
    plain_cmd = (
        not any(i.name == "ENTRYPOINT" for i in stage.instructions)
        and bool(cmds)
        and all(c.exec_form is not None for c in cmds)
        and argv[:2] == ["java", "-jar"]
    )
    shell = shell_form(stage, "CMD", "ENTRYPOINT", "HEALTHCHECK")
    if shell is not None or healthcheck(stage) is not None or not (exec_entry or plain_cmd):
        return None
    if not distroless_user(stage):
        return None
    user = has_user(stage)
    rt = Runtime(alt.reference, kind, "", alt.info, user=None if user else "nonroot")
    if plain_cmd:
        rt.drop_words = 2
        rt.warnings.append(
            'distroless java runs `java -jar` as its entrypoint: CMD loses its leading "java", '
            '"-jar"; there is no shell in the runtime.'
        )
    return rt
