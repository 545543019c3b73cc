"""DKL204 and DKL205 fixes on the same install: `npm ci --omit=dev`."""

from __future__ import annotations

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.context import BuildContext
from dockerls.edits import apply_edits
from tests.rulecheck import clean
from tests.rules.stages.rule_codes import DEV, NPM


def fix_all(text: str, codes: tuple[str, ...], context: BuildContext | None = None) -> str:
    """What fix-all does: every safe fix of the selected rules, applied together."""
    result = analyze(text, Settings(select=codes), context)
    edits = [e for f in result.findings for fix in f.fixes if fix.safe for e in fix.edits]
    return apply_edits(text, edits)


def test_dev_deps_and_npm_ci_fixes_combine() -> None:
    text = "FROM node:20-slim\nCOPY package.json package-lock.json ./\nRUN npm install\n"
    out = fix_all(text, (DEV, NPM))
    assert (
        out == "FROM node:20-slim\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n"
    )
    clean(DEV, out)
    clean(NPM, out)
