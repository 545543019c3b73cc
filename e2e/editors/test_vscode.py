"""The packaged extension in the real VS Code workbench (code-server in headless Chromium).

Each test opens its own copy of examples/node-app (a bloated single-stage Node Dockerfile) in a
fresh window and checks, through the UI only, what a user sees: the Problems panel, the hover,
the Ctrl+. menu, the Refactor menu, saving, settings. What the editor shows is compared with
what `dockerls check`/`dockerls fix` print for the same file.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from pathlib import Path

from e2e import results
from e2e.editors.tooling import SECTION, VSCodeTools, cli_codes, dockerls_executable, editors_cache
from e2e.editors.vscode import Window, vscode_window, wait_for

CODE = re.compile(r"dockerls\W?(DKL\d{3})")  # "dockerls(DKL201)", or without the brackets
SHOWN_CODES = {"DKL101", "DKL201", "DKL301", "DKL401"}  # a floor, whatever the CLI says
OUTPUT_COMMAND = "dockerls: Show server output"


def cli_fixed(dockerfile: Path, tmp_path: Path, *options: str) -> str:
    """What `dockerls fix [options]` makes of the file, run on a copy of its whole folder (its
    fixes read the build context: `npm ci` only where there is a lockfile)."""
    folder = tmp_path / "cli"
    shutil.copytree(dockerfile.parent, folder)
    copy = folder / dockerfile.name
    subprocess.run(
        [str(dockerls_executable()), "fix", *options, str(copy)], capture_output=True, check=False
    )
    return copy.read_text()


def wait_file(path: Path, expected: str, what: str) -> None:
    """Wait until the file on disk reads ``expected``; fail with the difference."""
    try:
        wait_for(what, lambda: path.read_text() == expected)
    except AssertionError as error:
        diff = difflib.unified_diff(
            expected.splitlines(), path.read_text().splitlines(), "expected", "on disk", lineterm=""
        )
        raise AssertionError(f"{error}:\n" + "\n".join(diff)) from None


def shown_codes(rows: list[str]) -> set[str]:
    return {match for row in rows for match in CODE.findall(row)}


def keep_artifact(window: Window, name: str, *selectors: str) -> Path:
    """A screenshot (of the parts ``selectors`` match) into the test's folder, copied to
    <cache>/editors/artifacts for reviewers (editors/vscode/images has one of each)."""
    shot = Path(window.call("screenshot", name=name, selectors=list(selectors)))
    kept = editors_cache() / "artifacts" / name
    kept.parent.mkdir(exist_ok=True)
    shutil.copy2(shot, kept)
    return kept


def started_lines(window: Window) -> list[str]:
    text: str = window.call("output", command=OUTPUT_COMMAND)
    return [line for line in text.splitlines() if "] Starting " in line]


def write_workspace_settings(workspace: Path, settings: dict[str, object]) -> None:
    folder = workspace / ".vscode"
    folder.mkdir(exist_ok=True)
    (folder / "settings.json").write_text(json.dumps(settings, indent=2))


def choose_action(window: Window, menu: str, line: int, column: int, label: str) -> None:
    """Choose an action from the quick-fix or Refactor menu; a menu that first came up empty
    ("No code actions available") is noted in e2e/RESULTS.md."""
    chosen = window.call(menu, line=line, column=column, label=label)
    assert chosen["chosen"] is not None, chosen["offered"]
    if chosen["attempts"] > 1:
        results.note(
            SECTION,
            f"The {menu} menu at {line}:{column} said 'No code actions available' "
            f"{chosen['attempts'] - 1} time(s) before offering '{label}'.",
        )


def open_dockerfile(window: Window) -> None:
    window.call("openFile", name="Dockerfile")
    assert window.call("languageMode") == "Docker"


def test_found_on_path_problems_hover_quick_fix(
    vscode: tuple[VSCodeTools, Path], workspace: Path, tmp_path: Path
) -> None:
    """dockerls found on PATH (~/.local/bin, as pipx leaves it); the Problems panel lists
    exactly the codes `dockerls check` reports; the hover on `node:20` shows the variant table;
    Ctrl+. applies "Add --no-install-recommends" and the saved file changes on that line only."""
    tools, extensions = vscode
    dockerfile = workspace / "Dockerfile"
    expected = cli_codes(dockerfile)
    assert expected >= SHOWN_CODES
    original = dockerfile.read_text().splitlines()
    with vscode_window(tools, extensions, workspace, tmp_path, dockerls_on_path=True) as window:
        open_dockerfile(window)
        rows = window.wait_problems(
            lambda rows: shown_codes(rows) == expected, f"the Problems panel to list {expected}"
        )
        assert len([row for row in rows if CODE.search(row)]) >= len(expected)
        keep_artifact(window, "vscode-problems.png", ".part.editor", ".part.panel")

        (started,) = started_lines(window)
        assert started.endswith(f"{tmp_path}/.local/bin/dockerls serve (found: path)")

        hover = window.call("hover", line=2, column=8, contains="node:20-slim")
        for shown in ("Variant", "Size", "node:20 ", "node:20-slim", "node:20-alpine", "MB"):
            assert shown in hover
        keep_artifact(window, "vscode-hover.png", ".part.editor", ".monaco-hover")

        choose_action(window, "quickFix", 9, 31, "Add --no-install-recommends")
        window.call("save")
        changed = dockerfile.read_text().splitlines()
        assert [i for i, (a, b) in enumerate(zip(original, changed, strict=True)) if a != b] == [8]
        assert "--no-install-recommends" in changed[8]
        window.wait_problems(
            lambda rows: "DKL101" not in shown_codes(rows) and "DKL201" in shown_codes(rows),
            "DKL101 to leave the Problems panel after its fix",
        )


def test_found_through_the_path_setting(
    vscode: tuple[VSCodeTools, Path], workspace: Path, tmp_path: Path
) -> None:
    """No dockerls on PATH: the "not installed" notification; then dockerls.server.path set in
    the workspace settings starts it (no reload) and the diagnostics arrive."""
    tools, extensions = vscode
    with vscode_window(tools, extensions, workspace, tmp_path, dockerls_on_path=False) as window:
        open_dockerfile(window)
        message = wait_for(
            "the 'not installed' notification",
            lambda: next((m for m in window.call("notifications") if "not installed" in m), None),
        )
        assert "pip install dockerls" in message or "pipx install dockerls" in message
        assert started_lines(window) == []

        server = dockerls_executable()
        write_workspace_settings(workspace, {"dockerls.server.path": str(server)})
        window.wait_problems(
            lambda rows: "DKL201" in shown_codes(rows), "diagnostics once the path is set"
        )
        (started,) = started_lines(window)
        assert started.endswith(f"{server} serve (found: setting)")


def test_fix_all_on_save(vscode: tuple[VSCodeTools, Path], workspace: Path, tmp_path: Path) -> None:
    """editor.codeActionsOnSave source.fixAll.dockerls: after an edit, Ctrl+S writes exactly
    what `dockerls fix` writes for the edited file."""
    tools, extensions = vscode
    dockerfile = workspace / "Dockerfile"
    edit = "# Edited before saving.\n"
    edited = tmp_path / "edited"
    shutil.copytree(workspace, edited)
    (edited / "Dockerfile").write_text(edit + dockerfile.read_text())
    expected = cli_fixed(edited / "Dockerfile", tmp_path)
    assert expected.startswith(edit) and "npm ci" in expected
    write_workspace_settings(
        workspace,
        {
            "editor.codeActionsOnSave": {"source.fixAll.dockerls": "explicit"},
            "dockerls.trace.server": "messages",  # in the output shown on failure
        },
    )
    with vscode_window(tools, extensions, workspace, tmp_path, dockerls_on_path=True) as window:
        open_dockerfile(window)
        window.wait_problems(lambda rows: "DKL205" in shown_codes(rows), "the findings")
        window.call("type", line=1, column=1, text=edit)
        window.call("save")
        try:
            wait_file(dockerfile, expected, "the file fixed as `dockerls fix` fixes it")
        except AssertionError as error:
            shot = window.call("screenshot", name="fix-all-on-save.png")
            log = window.call("output", command=OUTPUT_COMMAND)
            raise AssertionError(f"{error}\nscreenshot: {shot}\nserver output:\n{log}") from None
        window.wait_problems(
            lambda rows: "DKL205" not in shown_codes(rows) and "DKL201" in shown_codes(rows),
            "the fixed findings to leave the Problems panel",
        )


def test_split_refactor(vscode: tuple[VSCodeTools, Path], workspace: Path, tmp_path: Path) -> None:
    """The Refactor menu offers "Split into build and runtime stages"; applied and saved, the
    file is exactly what `dockerls fix --split` writes."""
    tools, extensions = vscode
    dockerfile = workspace / "Dockerfile"
    expected = cli_fixed(dockerfile, tmp_path, "--split")
    assert expected.count("\nFROM ") >= 2  # a build stage and the runtime stage at least
    with vscode_window(tools, extensions, workspace, tmp_path, dockerls_on_path=True) as window:
        open_dockerfile(window)
        window.wait_problems(lambda rows: "DKL203" in shown_codes(rows), "the findings")
        choose_action(window, "refactor", 2, 1, "Split into build and runtime stages")
        window.call("save")
        wait_file(dockerfile, expected, "the file split as `dockerls fix --split` splits it")
        window.wait_problems(
            lambda rows: "DKL203" not in shown_codes(rows), "the split to clear DKL203"
        )


def test_changed_setting_applies_without_restart(
    vscode: tuple[VSCodeTools, Path], workspace: Path, tmp_path: Path
) -> None:
    """dockerls.ignore written to the workspace settings removes DKL401 from the Problems
    panel, with the same server process (no restart)."""
    tools, extensions = vscode
    with vscode_window(tools, extensions, workspace, tmp_path, dockerls_on_path=True) as window:
        open_dockerfile(window)
        window.wait_problems(lambda rows: "DKL401" in shown_codes(rows), "DKL401 listed")
        write_workspace_settings(workspace, {"dockerls.ignore": ["DKL401"]})
        window.wait_problems(
            lambda rows: "DKL401" not in shown_codes(rows) and "DKL201" in shown_codes(rows),
            "DKL401 to go once dockerls.ignore lists it",
        )
        assert len(started_lines(window)) == 1
