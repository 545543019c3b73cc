"""DKL107 gem-documentation-installed: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import GEM
from tests.rules.packages.roundtrip import fix_roundtrip


def test_gem_docs_flagged_on_non_ruby_image() -> None:
    check(GEM, "FROM debian:bookworm\nRUN gem ⟨install⟩ bundler && gem ⟨update⟩ --system\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:bookworm\nRUN gem install --no-document bundler",
        "FROM debian:bookworm\nRUN gem install -N bundler",
        "FROM debian:bookworm\nRUN gem install --no-ri --no-rdoc bundler",
        "FROM debian:bookworm\nRUN echo 'gem: --no-document' > /etc/gemrc\nRUN gem install bundler",
        "FROM debian:bookworm\nCOPY .gemrc /root/.gemrc\nRUN gem install bundler",
        # the official ruby images write `install: --no-document` to their gemrc
        "FROM ruby:3.3-slim\nRUN gem install bundler",
        "FROM ruby:3.3 AS base\nFROM base\nRUN gem install bundler",
        "FROM debian:bookworm\nRUN gem list",
    ],
)
def test_gem_docs_clean(text: str) -> None:
    clean(GEM, text + "\n")


def test_gem_docs_only_no_ri_is_not_enough_and_fix() -> None:
    check(GEM, "FROM debian:bookworm\nRUN gem ⟨install⟩ --no-ri rails\n")
    fix_roundtrip(
        GEM,
        "FROM debian:bookworm\nRUN gem install bundler:2.5.0\n",
        "FROM debian:bookworm\nRUN gem install --no-document bundler:2.5.0\n",
    )
