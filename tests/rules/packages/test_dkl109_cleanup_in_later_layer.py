"""DKL109 cleanup-in-later-layer: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import LATER


def test_later_cleanup_of_apt_lists() -> None:
    (f,) = check(
        LATER,
        "FROM debian:bookworm\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends curl\n"
        "RUN ⟨rm⟩ -rf /var/lib/apt/lists/*\n",
    )
    assert "line 2" in f.message and f.related[0].span.start.line == 1


def test_later_cleanup_of_tool_caches() -> None:
    check(
        LATER,
        "FROM python:3.12-slim\n"
        "RUN pip install flask\n"
        "RUN ⟨pip⟩ cache purge\n"
        "RUN apk add curl\n"
        "RUN ⟨rm⟩ -rf /var/cache/apk/*\n"
        "RUN npm ci\n"
        "RUN ⟨npm⟩ cache clean --force\n",
    )


def test_later_cleanup_of_packages_installed_earlier() -> None:
    (f,) = check(
        LATER,
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq5 "
        "&& rm -rf /var/lib/apt/lists/*\n"
        "RUN make && apt-get ⟨purge⟩ -y gcc\n",
    )
    assert f.related[0].message == "installed here"
    check(
        LATER,
        "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc\n"
        "RUN make && apk ⟨del⟩ .build-deps\n",
    )


def test_later_cleanup_one_finding_per_removal_command() -> None:
    (f,) = check(
        LATER,
        "FROM debian:bookworm\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends gcc make x \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "RUN apt-get ⟨purge⟩ -y gcc make\n",
    )
    assert "gcc, make" in f.message and "line 2" in f.message


def test_later_cleanup_of_copied_and_downloaded_files() -> None:
    check(
        LATER,
        "FROM debian:bookworm\n"
        "COPY vendor/ /tmp/vendor/\n"
        "RUN curl -fsSLo /tmp/tool.deb https://example.com/tool.deb && dpkg -i /tmp/tool.deb\n"
        "RUN ⟨rm⟩ -rf /tmp/vendor && ⟨rm⟩ /tmp/tool.deb\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        # same RUN: that is the right way
        "RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*",
        # cleanup of something the earlier RUN never left
        "RUN pip install --no-cache-dir flask\nRUN pip cache purge",
        # a purge of packages installed in the same RUN
        "RUN apt-get update && apt-get install -y gcc && make && apt-get purge -y gcc "
        "&& rm -rf /var/lib/apt/lists/*",
        # small files copied in and removed later are not reported
        "COPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt"
        "\nRUN rm /tmp/requirements.txt",
        # the later RUN refills the lists itself before removing them
        "RUN apt-get update\nRUN apt-get update && apt-get install -y x "
        "&& rm -rf /var/lib/apt/lists/*",
        # a cache mount: nothing reaches the layer
        "RUN --mount=type=cache,target=/root/.cache/pip pip install x\nRUN rm -rf /root/.cache/pip",
    ],
)
def test_later_cleanup_clean(text: str) -> None:
    clean(LATER, f"FROM debian:bookworm\n{text}\n")


def test_later_cleanup_only_in_shipping_chain_and_across_from() -> None:
    clean(
        LATER,
        "FROM debian:bookworm AS build\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n"
        "FROM debian:bookworm-slim\n",
    )
    check(
        LATER,
        "FROM debian:bookworm AS base\nRUN apt-get update\n"
        "FROM base\nRUN ⟨rm⟩ -rf /var/lib/apt/lists/*\n",
    )


def test_later_cleanup_archive_extracted_is_left_to_dkl114() -> None:
    clean(
        LATER,
        "FROM debian:bookworm\nCOPY app.tar.gz /tmp/\n"
        "RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n",
    )
