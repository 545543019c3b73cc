"""The size estimate (dockerls.size) against real builds: per layer and per image.

Builds the fixtures' original Dockerfiles and a few apt-focused probes on the made base
images, then compares each RUN/COPY layer (``docker history``) and each image's size added
over its base (``docker image inspect``) with the estimate. The made bases differ from the
official images in what the estimate assumes, so the estimate is given what is true of
them: their package sets (``dpkg-query`` in the base), apt lists kept uncompressed (no
``docker-gzip-indexes``), documentation excluded by dpkg (every made image is slim-style) and
no pip cache (Debian's pip, which the made Python images use, writes none as root).
Final images are compared as base (its real size) + the estimated additions, so the
figure measures the estimator, not the difference between a made base and the official one.

Targets (issue 17): median absolute error ≤ 15 %, worst ≤ 35 % on apt layers and final
images; language-dependency layers are reported as measured.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockerls.context_io import read_build_context, read_context_files
from dockerls.size import Assumptions, StageEstimate, estimate
from dockerls.syntax import parse
from e2e import results
from e2e.apps import apps
from e2e.buildkit_oracle import prepare
from e2e.engine import Engine
from e2e.images import Made, make

SECTION = "Size calibration"
BUILD_SECONDS = 1800
SMALL = 2_000_000  # layers under 2 MB are not scored (a relative error on them means little)

# Probes: apt installs on the made Debian images (the fixtures have few apt layers).
PROBES = {
    "apt-build-essential-bookworm": (
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends build-essential "
        "&& rm -rf /var/lib/apt/lists/*\n"
    ),
    "apt-curl-git-trixie": (
        "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y curl git\n"
    ),
    "apt-python3-bookworm": (
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv "
        "ca-certificates && rm -rf /var/lib/apt/lists/*\n"
    ),
    "apt-purge-trixie": (
        "FROM debian:trixie-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev "
        "libpq-dev && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n"
    ),
    "apt-imagemagick-trixie": (
        "FROM debian:trixie-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends imagemagick "
        "&& apt-get clean && rm -rf /var/lib/apt/lists/*\n"
    ),
}


@dataclass
class Layer:
    created_by: str
    size: int


def _build(engine: Engine, folder: Path, tag: str, work: Path) -> None:
    built = work / f"{folder.name}.Dockerfile"
    built.write_text(prepare((folder / "Dockerfile").read_text()))
    done = engine.docker(
        "build", "--network", "host", "-f", str(built), "-t", tag, str(folder),
        check=False, timeout=BUILD_SECONDS,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"{tag}: build failed: {done.stderr.strip().splitlines()[-3:]}")


def _history(engine: Engine, image: str) -> list[Layer]:
    """Oldest first."""
    out = engine.docker(
        "history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image
    ).stdout
    rows = [line.split("\t", 1) for line in out.splitlines() if line.strip()]
    return [Layer(by, int(size)) for size, by in reversed(rows)]


def _image_size(engine: Engine, image: str) -> int:
    return int(engine.docker("image", "inspect", "-f", "{{.Size}}", image).stdout.strip())


def _packages(engine: Engine, image: str) -> frozenset[str]:
    done = engine.docker(
        "run", "--rm", "--pull", "never", "--network", "host", "--entrypoint", "dpkg-query",
        image, "-W", "-f", "${Package}\\n", check=False, timeout=120,
    )  # fmt: skip
    return frozenset(done.stdout.split()) if done.returncode == 0 else frozenset()


@dataclass
class Score:
    name: str
    kind: str  # "apt layer", "language layer", "other layer", "image"
    estimated: int
    real: int
    unknown: tuple[str, ...]

    @property
    def error(self) -> float:
        return abs(self.estimated - self.real) / self.real if self.real else 0.0


def _layers(est: StageEstimate, history: list[Layer], base_count: int) -> list[tuple[str, int]]:
    """(instruction name, real bytes) of each RUN/COPY/ADD of the final stage, in order."""
    own = history[base_count:]
    found: list[tuple[str, int]] = []
    cursor = 0
    for step in est.steps:
        name = step.instruction.name
        if name not in ("RUN", "COPY", "ADD"):
            continue
        while cursor < len(own) and not own[cursor].created_by.startswith(name):
            cursor += 1
        found.append((name, own[cursor].size if cursor < len(own) else -1))
        cursor += 1
    return found


def _kind(step_parts: tuple[str, ...], name: str) -> str:
    if name != "RUN":
        return "other layer"
    if any("(PyPI)" in p or "(npm)" in p or "typical size" in p for p in step_parts):
        return "language layer"
    if any(not p.startswith(("pip", "npm", "uv", "poetry")) and "(" not in p for p in step_parts):
        return "apt layer"
    return "other layer"


def _score(engine: Engine, made: Made, name: str, folder: Path, tag: str) -> list[Score]:
    text = (folder / "Dockerfile").read_text()
    doc = parse(text)
    final = doc.stages[-1]
    base_ref = final.resolved_image or ""
    base_image = made.tags.get(base_ref, base_ref)
    assumptions = Assumptions(
        gzip_indexes=False,
        docs_excluded=True,
        pip_cache=False,  # Debian's pip (the made Python images') keeps no cache as root
        base_packages=((base_ref, _packages(engine, base_image)),),
    )
    files = read_context_files(read_build_context(folder / "Dockerfile"), folder)
    est = estimate(doc, files, assumptions)[-1]
    history = _history(engine, tag)
    base_count = len(_history(engine, base_image))
    scores: list[Score] = []
    for step, (kind, real) in zip(
        [s for s in est.steps if s.instruction.name in ("RUN", "COPY", "ADD")],
        _layers(est, history, base_count),
        strict=True,
    ):
        if real < SMALL and step.amount.known < SMALL:
            continue
        line = step.instruction.start_line + 1
        scores.append(
            Score(
                f"{name}:{line}",
                _kind(tuple(p.label for p in step.parts), kind),
                step.amount.known,
                real,
                step.amount.unknown,
            )
        )
    base_size = _image_size(engine, base_image)
    image = Score(
        name, "image", base_size + est.added.known, _image_size(engine, tag), est.added.unknown
    )
    return [*scores, image]


def _summary(scores: list[Score], kind: str) -> tuple[float, float, int]:
    errors = [s.error for s in scores if s.kind == kind and not s.unknown]
    if not errors:
        return 0.0, 0.0, 0
    return statistics.median(errors), max(errors), len(errors)


def test_size_estimates_against_real_builds(engine: Engine, tmp_path: Path) -> None:
    fixtures = apps()
    probes = {}
    for name, text in PROBES.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "Dockerfile").write_text(text)
        probes[name] = folder
    tags = {parse(text).stages[-1].resolved_image or "" for text in PROBES.values()}
    tags |= {parse(app.text()).stages[-1].resolved_image or "" for app in fixtures}
    made = make(engine, tags)
    scores: list[Score] = []
    cases = [(app.name, app.root) for app in fixtures] + list(probes.items())
    for name, folder in cases:
        base_ref = parse((folder / "Dockerfile").read_text()).stages[-1].resolved_image or ""
        if base_ref in made.unavailable:
            continue
        tag = f"dockerls-e2e-size/{name}:latest"
        _build(engine, folder, tag, tmp_path)
        scores.extend(_score(engine, made, name, folder, tag))
    for s in scores:
        results.record(
            SECTION,
            {
                "what": s.name,
                "kind": s.kind,
                "estimated": results.mb(s.estimated),
                "real": results.mb(s.real),
                "error": f"{s.error:.0%}" + (" (+ unknown)" if s.unknown else ""),
                "unknown": ", ".join(s.unknown),
            },
        )
    summary = []
    for kind in ("apt layer", "image", "language layer", "other layer"):
        median, worst, count = _summary(scores, kind)
        summary.append(f"{kind}s: median {median:.0%}, worst {worst:.0%} over {count}")
    results.note(
        SECTION,
        "dockerls.size estimates vs docker history / docker image inspect (scored: parts with "
        "no unknown; images = real base + estimated additions). " + "; ".join(summary) + ".",
    )
    apt_median, apt_worst, apt_count = _summary(scores, "apt layer")
    img_median, img_worst, _ = _summary(scores, "image")
    assert apt_count >= 3, "too few apt layers were scored"
    assert apt_median <= 0.15 and img_median <= 0.15, summary
    assert apt_worst <= 0.35 and img_worst <= 0.35, summary
