"""DKL113 package-manager-mismatch: The package manager does not exist in the stage's base image."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dockerls.rules.build_state import Step, steps
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.package_managers import package_name
from dockerls.rules.packages.package_changes import package_changes
from dockerls.rules.packages.run_view import Run
from dockerls.syntax import Severity, Stage

if TYPE_CHECKING:
    from dockerls.knowledge.images import ImageInfo


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


def _mismatch_view(at: Step, ctx: RuleContext) -> tuple[Run, ImageInfo, bool] | None:
    """A RUN under a Linux image with known facts: its commands, the image's package
    manager, and whether it uses several managers (or the image's own ones) itself."""
    info = ctx.image(at.stage)
    if at.ins.name != "RUN" or info is None or info.os != "linux":
        return None
    run = Run.of(ctx, at)
    manager = info.package_manager
    mentioned = {w.text.rsplit("/", 1)[-1] for c in run.commands for w in c.argv}
    own = _OWN_COMMANDS.get(manager, frozenset())
    multi = (
        bool(mentioned & own)
        or len({_MANAGER_FAMILY[p] for p, _ in run.programs if p in _MANAGER_FAMILY}) > 1
    )
    return run, info, multi


def _installs(run: Run, i: int) -> Iterator[str]:
    prog, view = run.programs[i]
    changes = package_changes(prog, view)
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
        references=(DOCKERFILE_REFERENCE + "#from", "https://hub.docker.com/_/alpine"),
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
