"""DKL108 language-build-cache-left: A build or dependency tool leaves its cache in a shipping
layer.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.doc_links import CACHE_MOUNTS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import insert_after
from dockerls.rules.packages.leftovers import Leftover
from dockerls.rules.packages.run_view import each_run, fills
from dockerls.syntax import Severity

_BUILD_TOOLS = ("go", "cargo", "maven", "gradle", "poetry", "composer", "dotnet")
_NO_CACHE_TOOLS = frozenset({"poetry"})


@rule(
    "DKL108",
    "language-build-cache-left",
    Category.BLOAT,
    Severity.INFORMATION,
    scope=Scope.STAGE,
    summary="A build or dependency tool leaves its cache in a shipping layer.",
    docs=RuleDocs(
        what="In a shipping stage, a RUN whose build or dependency tool fills a cache that "
        "stays in the layer: `go build`/`go test`/`go mod download` (~/.cache/go-build, "
        "/go/pkg/mod), `cargo build`/`cargo install` (the Cargo registry, ./target), `mvn` "
        "(~/.m2), `gradle` (~/.gradle), `poetry install` (~/.cache/pypoetry), `composer "
        "install` and `dotnet restore`/`build`/`publish` (~/.nuget/packages); uv's cache "
        "is DKL104's, with pip's. Not reported when a cache "
        "or tmpfs mount covers the cache, when the same RUN removes it afterwards (`go "
        "clean -cache`, `cargo clean`, `poetry cache clear`, `rm -rf`), "
        "when the tool is told not to cache (`--no-cache`, "
        "`COMPOSER_CACHE_DIR=/dev/null`), or when the cache directory is moved by its "
        "variable (GOCACHE, POETRY_CACHE_DIR…) to a place that is mounted or removed.",
        why="Build caches are typically hundreds of MB (every module, crate, jar and "
        "intermediate object) and are useless at run time. In a builder stage they do not "
        "matter; in a shipping stage they are part of the image.",
        example="FROM golang:1.23\nRUN go build -o /app ./cmd/app",
        instead="RUN --mount=type=cache,target=/root/.cache/go-build \\\n"
        "    --mount=type=cache,target=/go/pkg/mod go build -o /app ./cmd/app\n"
        "# better: build in a builder stage and copy the binary into a small runtime image",
        fix_safety="For Poetry the quick fix inserts `--no-cache` after the "
        "subcommand (safe: the same packages are installed). The other tools get no fix: "
        "add cache mounts (BuildKit) or move the build to a builder stage.",
        references=(
            CACHE_MOUNTS,
            "https://python-poetry.org/docs/cli/#global-options",
            "https://pkg.go.dev/cmd/go#hdr-Build_and_test_caching",
        ),
    ),
)
def language_build_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in each_run(ctx):
        by_tool: dict[str, list[tuple[int, Leftover]]] = {}
        for i, found in fills(run, _BUILD_TOOLS):
            if run.left(i, found.place):
                by_tool.setdefault(found.tool, []).append((i, found))
        for tool, lefts in by_tool.items():
            i, first = lefts[0]
            places = list(dict.fromkeys(f.place.label for _, f in lefts))
            written = run.quote(i, first.word)
            fixes: tuple[Fix, ...] = ()
            if tool in _NO_CACHE_TOOLS:
                edits = tuple(
                    dict.fromkeys(insert_after(run.at.ins, f.word, "--no-cache") for _, f in lefts)
                )
                fixes = (Fix("Add --no-cache", edits),)
            yield Hit(
                first.word.span,
                f"`{written}` leaves {' and '.join(places)} in this shipping layer; use a "
                f"cache mount, remove it in the same RUN, or build in a separate stage.",
                fixes=fixes,
            )
