"""The size estimator (dockerls.size) and its data: flagged and clean cases."""

from __future__ import annotations

import datetime
import gzip
import json
from importlib import resources
from pathlib import Path

import pytest

from dockerls.size import (
    Amount,
    Assumptions,
    ContextFiles,
    LockedPackage,
    StageEstimate,
    StepEstimate,
    estimate,
    megabytes_of,
)
from dockerls.size.data import load, raw_data
from dockerls.size.inputs import locked_packages
from dockerls.syntax import parse
from tests.corpus import corpus_params, read

MB = 1_000_000


def stages(text: str, files: ContextFiles | None = None, **assume: object) -> list[StageEstimate]:
    return list(estimate(parse(text), files, Assumptions(**assume)))  # type: ignore[arg-type]


def step(text: str, line: int, files: ContextFiles | None = None) -> StepEstimate:
    for found in stages(text, files):
        for s in found.steps:
            if s.instruction.start_line == line:
                return s
    raise AssertionError(f"no instruction on line {line}")


def labels(s: StepEstimate) -> set[str]:
    return {p.label for p in s.parts}


# --------------------------------------------------------------------------- the data


def test_data_schema_and_dates() -> None:
    raw = raw_data()
    assert raw["schema"] == 1
    generated = datetime.date.fromisoformat(str(raw["generated"]))
    assert datetime.date(2026, 1, 1) <= generated <= datetime.date.today()
    data = load()
    assert set(data.apt) == {"bookworm", "trixie"}
    for release in data.apt.values():
        assert release.index_date.endswith("UTC")
        assert release.lists_bytes["compressed"] < release.lists_bytes["uncompressed"]
        assert {"debian-slim", "buildpack-deps", "python-slim", "node-slim"} <= set(release.sets)
        for name, source in release.set_sources.items():
            assert source, name
            assert release.sets[name] <= set(release.packages), name
        assert release.sets["debian-slim"] < release.sets["buildpack-deps"]
        # the dependency groups name packages or virtual ones the data resolves (a few
        # name packages the archive itself lacks)
        groups = [g for _, depends, _ in release.packages.values() for g in depends]
        unresolved = [g for g in groups if not any(release.real(a) for a in g.split("|"))]
        assert len(unresolved) < len(groups) / 1000, unresolved
    for registry in (data.pypi, data.npm):
        datetime.date.fromisoformat(registry.date)
        assert 1.0 < registry.unpack_factor < 10.0
        assert registry.typical_bytes > 0
        assert registry.archives


def test_data_is_compact() -> None:
    blob = resources.files("dockerls.knowledge").joinpath("sizes.json.gz").read_bytes()
    assert len(blob) < 3 * MB
    assert len(gzip.decompress(blob)) < 10 * MB
    json.loads(gzip.decompress(blob))


# --------------------------------------------------------------------------- amounts


def test_megabytes_are_decimal() -> None:
    assert megabytes_of(245_000_000) == "245"
    assert megabytes_of(4_560_000) == "4.56"
    assert megabytes_of(74_830_000) == "74.8"
    assert megabytes_of(1_230_400_000) == "1,230"


def test_amount_describes_unknown_parts() -> None:
    assert Amount(180 * MB, ("foo",)).describe() == "≈ 180 MB + unknown: foo"
    assert Amount(245 * MB).describe(sign="+") == "≈ +245 MB"
    assert Amount(0, ("apk add",)).describe() == "unknown: apk add"
    assert (Amount(1, ("a",)) + Amount(2, ("a", "b"))) == Amount(3, ("a", "b"))


# --------------------------------------------------------------------------- apt


APT = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y {flags}{pkgs}{tail}\n"


def test_apt_install_counts_the_closure_minus_the_base() -> None:
    s = step(APT.format(flags="--no-install-recommends ", pkgs="gcc", tail=""), 1)
    assert "gcc-12" in labels(s)
    assert "libc6" not in labels(s)  # in the base already
    assert 40 * MB < s.amount.known < 250 * MB
    assert not s.amount.unknown


def test_recommends_add_weight_unless_turned_off() -> None:
    without = step(APT.format(flags="--no-install-recommends ", pkgs="curl", tail=""), 1)
    with_recs = step(APT.format(flags="", pkgs="curl", tail=""), 1)
    assert with_recs.amount.known > without.amount.known


def test_apt_lists_left_unless_removed() -> None:
    kept = step(APT.format(flags="", pkgs="curl", tail=""), 1)
    cleaned = step(APT.format(flags="", pkgs="curl", tail=" && rm -rf /var/lib/apt/lists/*"), 1)
    assert "apt lists (/var/lib/apt/lists)" in labels(kept)
    assert "apt lists (/var/lib/apt/lists)" not in labels(cleaned)
    mounted = step(
        "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/lib/apt "
        "apt-get update && apt-get install -y curl\n",
        1,
    )
    assert "apt lists (/var/lib/apt/lists)" not in labels(mounted)


def test_uncompressed_lists_weigh_more() -> None:
    text = APT.format(flags="", pkgs="curl", tail="")
    gz = stages(text)[0].steps[0].amount.known
    plain = stages(text, gzip_indexes=False)[0].steps[0].amount.known
    assert plain > gz


def test_purge_in_the_same_run_subtracts() -> None:
    def run(tail: str) -> StepEstimate:
        text = APT.format(flags="--no-install-recommends ", pkgs="gcc make", tail=tail)
        return step(text, 1)

    purged = run(" && apt-get purge -y --auto-remove gcc")
    assert "gcc-12" not in labels(purged)
    assert "make" in labels(purged)
    assert purged.amount.known < run("").amount.known / 4
    named_only = run(" && apt-get purge -y gcc")
    assert "gcc-12" in labels(named_only)  # without --auto-remove its dependencies stay


def test_autoremove_keeps_what_a_kept_package_needs() -> None:
    text = APT.format(
        flags="--no-install-recommends ",
        pkgs="gcc libc6-dev",
        tail=" && apt-get purge -y --auto-remove gcc",
    ).replace("bookworm", "trixie")
    found = labels(step(text, 1))
    assert "gcc-14" not in found
    assert {"libc6-dev", "linux-libc-dev"} <= found  # named, and a dependency of it


def test_debian_python_modules_count_their_byte_code() -> None:
    text = APT.format(flags="--no-install-recommends ", pkgs="python3", tail="")
    parts = {p.label: p.bytes for p in step(text, 1).parts}
    stdlib = load().apt["bookworm"].installed_bytes("libpython3.11-stdlib")
    assert parts["libpython3.11-stdlib"] > 1.5 * stdlib


def test_removal_in_a_later_layer_does_not_shrink() -> None:
    text = (
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
        "RUN apt-get purge -y gcc\n"
    )
    later = step(text, 2)
    assert later.amount.known == 0
    assert any("earlier layer" in n for n in later.notes)


def test_packages_the_base_has_cost_nothing() -> None:
    text = (
        "FROM node:20\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make\n"
    )
    s = step(text, 1)
    assert not {"gcc-12", "gcc-14", "make"} & labels(s)


def test_unknown_package_and_variables_are_named() -> None:
    s = step(APT.format(flags="", pkgs="no-such-package-xyz $EXTRA", tail=""), 1)
    assert any("no-such-package-xyz" in u for u in s.amount.unknown)
    assert "`$EXTRA`" in s.amount.unknown


def test_apk_and_dnf_are_unknown() -> None:
    alpine = step("FROM alpine:3.20\nRUN apk add --no-cache curl\n", 1)
    assert alpine.amount.known == 0
    assert any("apk add" in u for u in alpine.amount.unknown)
    fedora = step("FROM fedora:40\nRUN dnf install -y gcc\n", 1)
    assert any("dnf install" in u for u in fedora.amount.unknown)


def test_apt_on_an_unknown_base_is_unknown() -> None:
    s = step("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\n", 1)
    assert any("not known" in u for u in s.amount.unknown)


# --------------------------------------------------------------------------- language packages


NPM_FILES = ContextFiles(
    files=(("package-lock.json", 2000), ("package.json", 300), ("src/index.ts", 5000)),
    locks=(
        (
            "package-lock.json",
            (LockedPackage("typescript", dev=True), LockedPackage("express")),
        ),
    ),
)


def test_npm_ci_from_the_lockfile_with_its_cache() -> None:
    text = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    s = step(text, 3, NPM_FILES)
    assert "typescript (npm)" in labels(s)
    assert "npm cache (~/.npm): tarballs" in labels(s)
    assert "npm cache (~/.npm): registry metadata" not in labels(s)  # ci, downloads named
    cleaned = step("FROM node:20-slim\nRUN npm ci && npm cache clean --force\n", 1, NPM_FILES)
    assert not {la for la in labels(cleaned) if la.startswith("npm cache")}


def test_npm_install_keeps_the_registry_metadata() -> None:
    s = step("FROM node:20-slim\nRUN npm install\n", 1, NPM_FILES)
    assert "npm cache (~/.npm): registry metadata" in labels(s)


def test_npm_ci_omit_dev_drops_dev_dependencies() -> None:
    s = step("FROM node:20-slim\nRUN npm ci --omit=dev\n", 1, NPM_FILES)
    assert "typescript (npm)" not in labels(s)


def test_npm_without_a_lockfile_is_unknown() -> None:
    s = step("FROM node:20-slim\nRUN npm ci\n", 1)
    assert any("package-lock.json" in u for u in s.amount.unknown)


def test_npm_with_an_empty_lockfile_is_unknown_not_zero() -> None:
    empty = ContextFiles(files=(("package-lock.json", 90),), locks=(("package-lock.json", ()),))
    s = step("FROM node:20-slim\nRUN npm install\n", 1, empty)
    assert any("lists no packages" in u for u in s.amount.unknown)


def test_pip_requirements_and_cache() -> None:
    files = ContextFiles(
        files=(("requirements.txt", 40),),
        locks=(("requirements.txt", (LockedPackage("requests"), LockedPackage("zz-unknown"))),),
    )
    cached = step("FROM python:3.12-slim\nRUN pip install -r requirements.txt\n", 1, files)
    assert "requests (PyPI)" in labels(cached)
    assert "pip cache (~/.cache/pip)" in labels(cached)
    assert any("typical" in n for n in cached.notes)
    clean = step(
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n", 1, files
    )
    assert "pip cache (~/.cache/pip)" not in labels(clean)
    env = step(
        "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n",
        2,
        files,
    )
    assert "pip cache (~/.cache/pip)" not in labels(env)


def test_pip_resolves_requirements_from_the_data() -> None:
    s = step("FROM python:3.12-slim\nRUN pip install --no-cache-dir Flask\n", 1)
    assert {"flask (PyPI)", "werkzeug (PyPI)", "jinja2 (PyPI)"} <= labels(s)
    assert not s.amount.unknown
    unknown = step("FROM python:3.12-slim\nRUN pip install --no-cache-dir zz-unknown\n", 1)
    assert "the dependencies of zz-unknown" in unknown.amount.unknown


def test_pip_leaves_out_what_the_python_image_has() -> None:
    s = step("FROM python:3.12-slim\nRUN pip install --no-cache-dir pip setuptools\n", 1)
    assert s.amount.known == 0


# --------------------------------------------------------------------------- COPY


def test_copy_sizes_the_context_files() -> None:
    files = ContextFiles(files=(("a.txt", 3 * MB), ("src/x.py", 2 * MB), ("src/y.py", MB)))
    text = "FROM debian:bookworm-slim\nCOPY . /app\nCOPY src/ /src\nCOPY missing /m\n"
    assert step(text, 1, files).amount.known == 6 * MB
    assert step(text, 2, files).amount.known == 3 * MB
    assert step(text, 3, files).amount.unknown == ("`missing`",)
    assert step(text, 1).amount.unknown == ("`.` (context not read)",)


def test_copy_from_a_stage_takes_what_it_wrote_there() -> None:
    text = (
        "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
        "FROM node:20-slim\nCOPY --from=build /app/node_modules ./node_modules\n"
        "COPY --from=build /app/dist ./dist\n"
    )
    build, runtime = stages(text, NPM_FILES)
    npm = build.steps[2].amount.known
    assert runtime.steps[0].amount.known > 0
    assert runtime.steps[0].amount.known <= npm
    assert runtime.steps[1].amount.unknown  # nothing known was written to /app/dist


def test_stage_from_a_stage_starts_at_its_total() -> None:
    text = "FROM debian:bookworm-slim AS base\nRUN apt-get update\nFROM base\nRUN true\n"
    first, second = stages(text)
    assert second.base.known == first.total.known
    assert second.base_label == "stage `base`"


# --------------------------------------------------------------------------- totals and bases


def test_final_total_is_base_plus_steps() -> None:
    (found,) = stages(APT.format(flags="", pkgs="curl", tail=""))
    assert found.total.known == found.base.known + found.steps[0].amount.known
    assert found.base.known > 50 * MB


def test_unknown_base_and_commands_are_named() -> None:
    (found,) = stages("FROM example.com/whatever:1\nRUN make all\n")
    assert "example.com/whatever:1" in found.total.unknown
    assert "`make all`" in found.total.unknown


def test_scratch_weighs_nothing() -> None:
    (found,) = stages("FROM scratch\nCOPY x /x\n", ContextFiles(files=(("x", 10),)))
    assert found.total == Amount(10)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "RUN apt-get install\n",
        "FROM debian\nRUN apt-get install -y 'unterminated\n",
        "FROM debian\nCOPY\nCOPY --from=nowhere / /\n",
        "FROM $X\nRUN <<EOF\napt-get install -y gcc\nEOF\n",
    ],
)
def test_never_raises_on_odd_input(text: str) -> None:
    estimate(parse(text))


def test_memoised_per_text() -> None:
    doc = parse("FROM debian:bookworm-slim\nRUN apt-get update\n")
    assert estimate(doc) is estimate(parse(doc.text))


# --------------------------------------------------------------------------- lockfiles


def test_locked_packages_from_each_kind_of_file() -> None:
    lock = json.dumps(
        {
            "packages": {
                "": {"name": "app"},
                "node_modules/a": {"version": "1", "resolved": "https://r/a-1.tgz"},
                "node_modules/b/node_modules/c": {"version": "1", "dev": True},
                "node_modules/linked": {"link": True},
            }
        }
    )
    assert locked_packages("package-lock.json", lock) == (
        LockedPackage("a"),
        LockedPackage("c", dev=True, resolved=False),
    )
    assert locked_packages("package-lock.json", "{") is None
    reqs = "Flask==3.0\n# comment\n-r other.txt\nrequests>=2 ; python_version>'3'\n"
    assert locked_packages("requirements.txt", reqs) == (
        LockedPackage("flask"),
        LockedPackage("requests"),
    )
    uv = (
        '[[package]]\nname = "idna"\nversion = "3"\n\n[[package]]\nname = "Humanize"\n\n'
        '[[package]]\nname = "app"\nsource = { virtual = "." }\n'
    )
    assert locked_packages("uv.lock", uv) == (LockedPackage("idna"), LockedPackage("humanize"))


@pytest.mark.parametrize("path", corpus_params())
def test_every_corpus_file_gets_an_estimate(path: Path) -> None:
    doc = parse(read(path))
    found = estimate(doc)
    assert len(found) == len(doc.stages)
    for stage in found:
        # every amount is either sized or says what it could not size
        assert (
            stage.total.known > 0
            or stage.total.unknown
            or stage.base_label.startswith(("scratch", "stage"))
        )
        for s in stage.steps:
            assert s.amount.known >= 0
            assert all(p.bytes > 0 for p in s.parts)


def test_substitutions_and_sourcing_add_nothing_and_point_releases_resolve() -> None:
    text = (
        "FROM debian:12.6-slim\n"
        "RUN apt-get update && apt-get install -y curl && echo $(uname -m) && . /etc/x\n"
    )
    s = step(text, 1)
    assert s.amount.known > 0
    assert not s.amount.unknown
