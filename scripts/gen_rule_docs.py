#!/usr/bin/env python3
"""Write docs/rules.md from the rule registry (the one source of rule documentation).

.venv/bin/python scripts/gen_rule_docs.py          # rewrite docs/rules.md
.venv/bin/python scripts/gen_rule_docs.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dockerls.rules.registry import all_rules
from dockerls.sarif import rule_help

TARGET = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def render() -> str:
    rules = all_rules()
    lines = [
        "# Rules",
        "",
        "Generated from the rule registry by `scripts/gen_rule_docs.py`; "
        "`dockerls explain CODE` prints the same text.",
        "",
        "| Code | Name | Category | Default severity | Summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        severity = r.severity.name.lower() + ("" if r.enabled_by_default else " (off)")
        lines.append(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.category.value} "
            f"| {severity} | {r.summary} |"
        )
    body = "\n".join(rule_help(r).replace("# ", "## ", 1) for r in rules)
    return "\n".join(lines) + "\n\n" + body


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print("docs/rules.md is out of date: run scripts/gen_rule_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
