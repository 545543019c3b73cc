"""What a stage shows of a Yarn 2+ ("berry") project: whether it is one (``yarn_berry``) and
which linker installs its packages (``node_linker``). Yarn 2+ differs from Yarn 1 where it
matters for size: under Plug'n'Play the packages stay in Yarn's cache, which the application
loads at run time. Used by DKL106 (whose cache-cleaning fix would break such a project) and
by the split's Node planner and final-stage refactor."""

from __future__ import annotations

import re

from dockerls.rules.engine import RuleContext
from dockerls.syntax import Stage

__all__ = ["node_linker", "yarn_berry"]


_BERRY = re.compile(
    r"yarn\s+set\s+version|yarn@([2-9]|\d\d|stable|berry|canary)|workspaces\s+focus"
    r"|--immutable|\.yarnrc\.yml"
)


def yarn_berry(ctx: RuleContext, stage: Stage) -> bool:
    """Yarn 2+: a ``.yarnrc.yml`` (in the context or copied), ``packageManager: yarn@2+``,
    a version set, ``--immutable`` or ``yarn workspaces focus`` in the Dockerfile."""
    if ctx.build_context.has_file(".yarnrc.yml"):
        return True
    package_json = ctx.build_context.package_json
    declared = package_json.package_manager if package_json is not None else None
    if declared is not None and re.match(r"yarn@([2-9]|\d\d)", declared):
        return True
    for ins in stage.instructions:
        if ins.name in ("RUN", "COPY", "ADD") and _BERRY.search(" ".join(a.text for a in ins.args)):
            return True
    return False


def node_linker(ctx: RuleContext, stage: Stage) -> str | None:
    """``nodeLinker``: set in the stage (``ENV YARN_NODE_LINKER``, ``yarn config set
    nodeLinker``) or in ``.yarnrc.yml`` (read: absent means Plug'n'Play)."""
    found: str | None = None
    for ins in stage.instructions:
        if ins.name == "ENV":
            for pair in ins.pairs:
                if pair.key.text == "YARN_NODE_LINKER" and pair.value is not None:
                    found = pair.value.text
        elif ins.name == "RUN":
            for cmd in ctx.script(ins).commands:
                words = [w.text for w in cmd.positionals()]
                if cmd.name == "yarn" and words[:3] == ["config", "set", "nodeLinker"]:
                    found = words[3] if len(words) > 3 else None
    if found is not None:
        return found
    yarnrc = ctx.build_context.yarnrc
    if yarnrc is None:
        return None
    return yarnrc.node_linker or "pnp"
