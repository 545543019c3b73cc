"""DKL114 archive-extracted-in-later-layer: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import ARCHIVE


def test_archive_copied_then_extracted() -> None:
    (f,) = check(
        ARCHIVE,
        "FROM debian:bookworm\nWORKDIR /tmp\nCOPY vendor.tar.gz .\n"
        "RUN ⟨tar⟩ -xzf vendor.tar.gz -C /opt && rm vendor.tar.gz\n",
    )
    assert f.related[0].span.start.line == 2 and "vendor.tar.gz" in f.message


def test_archive_downloaded_then_extracted() -> None:
    check(
        ARCHIVE,
        "FROM debian:bookworm\n"
        "RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v20/node.tar.xz\n"
        "RUN ⟨tar⟩ -xJf /tmp/node.tar.xz -C /usr/local\n"
        "RUN cd /opt && wget https://example.com/x.zip\n"
        "RUN ⟨unzip⟩ -q /opt/x.zip -d /opt/x\n"
        "ADD https://example.com/y.tgz /tmp/\n"
        "RUN cd /tmp && ⟨tar⟩ xzf y.tgz\n",
    )


def test_archive_zip_added_without_trailing_slash() -> None:
    # ADD does not extract a .zip; the destination is an existing directory (ottimis)
    check(
        ARCHIVE,
        "FROM php:8.2\nADD client.zip /opt/oracle\n"
        "RUN ⟨unzip⟩ /opt/oracle/client.zip -d /opt/oracle && rm -rf /opt/oracle/*.zip\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        # download, extract and remove in one RUN
        "RUN curl -fsSLo /tmp/a.tgz https://x/a.tgz && tar -xzf /tmp/a.tgz && rm /tmp/a.tgz",
        "RUN curl -fsSL https://x/a.tgz | tar -xz -C /opt",
        # ADD extracts a local tar archive itself
        "ADD vendor.tar.gz /opt/\nRUN ls /opt",
        # an archive in a builder stage
        "COPY a.tgz /tmp/\nRUN tar -xzf /tmp/a.tgz\nFROM debian:bookworm-slim",
        # another file
        "COPY a.tgz /tmp/\nRUN tar -xzf /tmp/b.tgz",
        # creating an archive is not extracting one
        "COPY a.tgz /tmp/\nRUN tar -czf /tmp/a.tgz /app",
    ],
)
def test_archive_clean(text: str) -> None:
    clean(ARCHIVE, f"FROM debian:bookworm AS first\n{text}\n")
