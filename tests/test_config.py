"""Typed settings: lenient reading, defaults per missing key, config files."""

from __future__ import annotations

from pathlib import Path

from pytest import MonkeyPatch

from dockerls import config_io
from dockerls.config import Settings
from dockerls.config_io import find_config
from dockerls.syntax import Severity


def test_missing_keys_keep_defaults_and_invalid_keys_are_reported() -> None:
    settings, complaints = Settings.from_mapping(
        {"select": "DKL1, DKL2", "severity": {"DKL101": "error", "DKL102": "loud"}, "target": 3}
    )
    assert settings.select == ("DKL1", "DKL2")
    assert settings.ignore == ()
    assert settings.severity == {"DKL101": Severity.ERROR}
    assert settings.target is None
    assert len(complaints) == 2 and any("DKL102" in c for c in complaints)


def test_partial_settings_layer_over_a_base() -> None:
    base, _ = Settings.from_mapping({"ignore": ["DKL201"], "severity": {"DKL101": "hint"}})
    merged, complaints = Settings.from_mapping({"severity": {"DKL102": "off"}}, base)
    assert not complaints
    assert merged.ignore == ("DKL201",)
    assert merged.severity == {"DKL101": Severity.HINT, "DKL102": None}


def test_not_an_object() -> None:
    settings, complaints = Settings.from_mapping(["x"])
    assert settings == Settings() and complaints


def test_pyproject_table_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockerls]\nignore = ["DKL101"]\n')
    nested = tmp_path / "services" / "api"
    nested.mkdir(parents=True)
    (nested / "Dockerfile").write_text("FROM a\n")
    found = find_config(nested / "Dockerfile")
    assert found.path == (tmp_path / "pyproject.toml").resolve()
    assert found.settings.ignore == ("DKL101",)


def test_dockerls_toml_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / ".dockerls.toml").write_text('select = ["bloat"]\ntarget = "runtime"\n')
    found = find_config(tmp_path)
    assert found.settings.select == ("bloat",) and found.settings.target == "runtime"


def test_broken_config_is_a_complaint_not_an_exception(tmp_path: Path) -> None:
    (tmp_path / ".dockerls.toml").write_text("select = [\n")
    found = find_config(tmp_path)
    assert found.settings == Settings() and found.complaints


def test_search_stops_at_the_workspace_root(tmp_path: Path) -> None:
    (tmp_path / ".dockerls.toml").write_text('ignore = ["DKL101"]\n')
    workspace = tmp_path / "ws"
    workspace.mkdir()
    assert find_config(workspace, workspace_root=workspace).path is None


def test_a_cache_searches_each_folder_once(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    (tmp_path / ".dockerls.toml").write_text('ignore = ["DKL101"]\n')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / ".dockerls.toml").write_text('ignore = ["DKL102"]\n')
    for name in ("a/x", "a/y", "b/z"):
        (tmp_path / name).mkdir(parents=True)
    searched: list[Path] = []
    real = config_io._config_in

    def spy(folder: Path) -> config_io.ConfigFile | None:
        searched.append(folder)
        return real(folder)

    monkeypatch.setattr(config_io, "_config_in", spy)
    cache: dict[Path, config_io.ConfigFile] = {}
    found = {name: find_config(tmp_path / name, cache=cache) for name in ("a/x", "a/y", "b/z")}

    assert [f.settings.ignore for f in found.values()] == [("DKL101",), ("DKL101",), ("DKL102",)]
    root = tmp_path.resolve()
    assert searched == [root / "a/x", root / "a", root, root / "a/y", root / "b/z", root / "b"]
    assert found == {name: find_config(tmp_path / name) for name in found}  # as without
