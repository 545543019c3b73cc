"""SARIF 2.1.0 output for ``dockerls check --format sarif`` (GitHub code scanning).

Columns are counted in Unicode code points, which SARIF states with
``columnKind: unicodeCodePoints``; lines and columns are 1-based.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePath

from dockerls import __version__
from dockerls.findings import Finding
from dockerls.rules.engine import DEVCONTAINER_NOTE, Rule, quiet_in_devcontainer
from dockerls.rules.registry import all_rules
from dockerls.syntax import Severity

DOCS_URL = "https://dockerls.dev/rules/"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def rule_help(r: Rule) -> str:
    """The rule's documentation as Markdown (also used by ``dockerls explain``)."""
    d = r.docs
    parts = [
        f"# {r.code} {r.name}",
        r.summary,
        f"**What it flags.** {d.what}",
        f"**Why it matters.** {d.why}",
        f"**Example**\n\n```dockerfile\n{d.example}\n```",
        f"**Use instead**\n\n```dockerfile\n{d.instead}\n```",
        f"**Fix.** {d.fix_safety}",
    ]
    if quiet_in_devcontainer(r):
        parts.append(f"**Development containers.** {DEVCONTAINER_NOTE}")
    if r.hadolint or r.buildkit:
        same = ", ".join((*r.hadolint, *r.buildkit))
        parts.append(f"**Equivalent checks elsewhere.** {same}")
    if d.references:
        parts.append("**References**\n\n" + "\n".join(f"- {u}" for u in d.references))
    return "\n\n".join(parts) + "\n"


def _rule_descriptor(r: Rule) -> dict[str, object]:
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.docs.what},
        "helpUri": DOCS_URL + r.code,
        "help": {"text": f"{r.docs.why} Use instead: {r.docs.instead}", "markdown": rule_help(r)},
        "defaultConfiguration": {
            "level": _LEVELS[r.severity],
            "enabled": r.enabled_by_default,
        },
        "properties": {"tags": [r.category.value]},
    }


def _uri(path: str) -> str:
    return "stdin" if path == "-" else PurePath(path).as_posix()


def _result(path: str, f: Finding, index: dict[str, int]) -> dict[str, object]:
    start, end = f.span.start, f.span.end
    result: dict[str, object] = {
        "ruleId": f.code,
        "level": _LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": start.line + 1,
                        "startColumn": start.column + 1,
                        "endLine": end.line + 1,
                        "endColumn": end.column + 1,
                    },
                }
            }
        ],
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "message": {"text": rel.message},
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": rel.span.start.line + 1,
                        "startColumn": rel.span.start.column + 1,
                    },
                },
            }
            for i, rel in enumerate(f.related)
        ]
    return result


def to_sarif(
    files: Sequence[tuple[str, Sequence[Finding]]], errors: Sequence[tuple[str, str]]
) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "dockerls",
                "version": __version__,
                "informationUri": "https://dockerls.dev",
                "rules": [_rule_descriptor(r) for r in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(path, f, index) for path, found in files for f in found],
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": message},
                        "locations": [
                            {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}}}
                        ],
                    }
                    for path, message in errors
                ],
            }
        ],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
