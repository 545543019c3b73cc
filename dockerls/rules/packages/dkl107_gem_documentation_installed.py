"""DKL107 gem-documentation-installed: gem install generates documentation nobody reads in a
container.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.build_state import Step
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import insert_after
from dockerls.rules.packages.paths import copy_dest
from dockerls.rules.packages.run_view import shell_text
from dockerls.rules.packages.stage_walk import configured_steps
from dockerls.shell import Command
from dockerls.syntax import Severity

_GEMRC = re.compile(r"(?:gem|install|update)\s*:[^\n]*--no-(?:document|doc|ri|rdoc)\b")
_GEMRC_FILES = ("/etc/gemrc", "/usr/local/etc/gemrc")
_DOCUMENTED_RUBY = frozenset({"ruby", "rails"})  # official images write gemrc: --no-document


def _configures_gems(at: Step) -> bool:
    if at.ins.name == "RUN":
        return any(_GEMRC.search(t) for t in shell_text(at))
    dest = copy_dest(at) or ""
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

    for at, configured in configured_steps(ctx, configures):
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
