"""``dockerls rules`` and ``dockerls explain``: the rules dockerls knows, as a table or
one rule's documentation."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from dockerls.cli.report import severity_label

if TYPE_CHECKING:
    import argparse


def rules(args: argparse.Namespace) -> int:
    from dockerls.rules.registry import all_rules

    rules = all_rules()
    if args.format == "json":
        table = [
            {
                "code": r.code,
                "name": r.name,
                "category": r.category.value,
                "severity": severity_label(r.severity),
                "enabledByDefault": r.enabled_by_default,
                "summary": r.summary,
                "hadolint": list(r.hadolint),
                "buildkit": list(r.buildkit),
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(table, indent=2) + "\n")
        return 0
    for r in rules:
        default = "" if r.enabled_by_default else " (off by default)"
        label = severity_label(r.severity)
        print(f"{r.code}  {r.name:<42} {r.category.value:<12} {label:<8} {r.summary}{default}")
    return 0


def explain(args: argparse.Namespace) -> int:
    from dockerls.rules.registry import lookup
    from dockerls.sarif import rule_help

    found = lookup(args.rule)
    if found is None:
        print(f"dockerls: unknown rule {args.rule!r} (see `dockerls rules`)", file=sys.stderr)
        return 2
    sys.stdout.write(rule_help(found))
    return 0
