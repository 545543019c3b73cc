"""DKL110 package-upgrade: A whole-system package upgrade inside the image."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.doc_links import BEST_PRACTICES, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.package_managers import RPM_MANAGERS
from dockerls.rules.packages.program_names import APT_PROGRAMS, quoted
from dockerls.rules.packages.run_view import each_run
from dockerls.shell import Command, Word
from dockerls.syntax import Severity

_APT_UPGRADES = frozenset({"upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"})
_RPM_UPGRADES = frozenset({"update", "upgrade", "distro-sync", "upgrade-minimal"})
_ZYPPER_UPGRADES = frozenset({"update", "up", "dist-upgrade", "dup", "patch"})


def _system_upgrade(prog: str, view: Command) -> Word | None:
    """The subcommand word of a whole-system upgrade (no package names given)."""
    positionals = view.positionals()
    if not positionals:
        return None
    sub, names = positionals[0], positionals[1:]
    if prog in APT_PROGRAMS:
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
        references=(BEST_PRACTICES + "#apt-get", DOCKERFILE_REFERENCE + "#from"),
    ),
)
def package_upgrade(ctx: RuleContext) -> Iterator[Hit]:
    for run in each_run(ctx):
        for i, (prog, view) in enumerate(run.programs):
            sub = _system_upgrade(prog, view)
            if sub is not None:
                yield Hit(
                    sub.span,
                    f"`{quoted(run.commands[i], sub)}` upgrades every package of the base "
                    f"image in this layer: the new versions are stored on top of the old "
                    f"ones and change from build to build. Prefer a recent base image.",
                )
