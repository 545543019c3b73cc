"""DKL102 apt-lists-left: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings
from tests.rules.packages.codes import APT_LISTS
from tests.rules.packages.roundtrip import fix_roundtrip


def test_apt_lists_flags_install_word() -> None:
    (f,) = check(
        APT_LISTS,
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get ⟨install⟩ -y --no-install-recommends curl\n",
    )
    assert "/var/lib/apt/lists" in f.message and "tens of MB" in f.message


def test_apt_lists_update_alone_flags_update_without_a_fix_that_breaks_the_next_run() -> None:
    (f,) = check(APT_LISTS, "FROM ubuntu:24.04\nRUN apt-get ⟨update⟩\nRUN apt-get install -y x\n")
    assert not f.fixes and "line 3" in f.message
    (f,) = check(
        APT_LISTS,
        "FROM ubuntu:24.04 AS base\nRUN apt-get ⟨update⟩\n"
        "FROM base AS build\nRUN apt-get install -y gcc\nFROM base\n",
    )
    assert not f.fixes
    (f,) = check(
        APT_LISTS,
        "FROM ubuntu:24.04\nRUN apt-get ⟨update⟩\nRUN apt-get update && apt-get install -y x "
        "&& rm -rf /var/lib/apt/lists/*\n",
    )
    assert f.fixes


def test_apt_lists_install_without_update_in_the_chain_is_flagged() -> None:
    # something in the RUN (here the nodesource script) downloads lists
    check(
        APT_LISTS,
        "FROM python:3.12\n"
        "RUN curl -sL https://deb.nodesource.com/setup_20.x | bash - "
        "&& apt-get ⟨install⟩ -y nodejs\n",
    )


@pytest.mark.parametrize(
    "run",
    [
        "apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*",
        "apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists",
        "apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*_*",
        "apt-get update && apt-get install -y x && rm -rf /var/lib/apt/*",
        "apt-get update && apt-get install -y x && apt-get dist-clean",
        "apt update && apt install -y x && apt distclean",
        "apt-get update && apt-get install -y x && find /var/lib/apt/lists -type f -delete",
        "--mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update "
        "&& apt-get install -y x",
        "--mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y x",
        "apt-get clean",
    ],
)
def test_apt_lists_clean(run: str) -> None:
    clean(APT_LISTS, f"FROM debian:bookworm\nRUN {run}\n")


@pytest.mark.parametrize(
    "run",
    [
        "apt-get update && apt-get ⟨install⟩ -y --no-install-recommends git "
        "|| rm -rf /var/lib/apt/lists/*",
        "apt-get update && apt-get ⟨install⟩ -y git || echo failed | tee log "
        "|| rm -rf /var/lib/apt/lists/*",
        "if apt-get update && apt-get ⟨install⟩ -y git; then echo ok; "
        "else rm -rf /var/lib/apt/lists/*; fi",
        'if [ -n "$X" ]; then apt-get update && apt-get ⟨install⟩ -y git; '
        "elif true; then echo; else if true; then :; fi; rm -rf /var/lib/apt/lists/*; fi",
    ],
)
def test_apt_lists_cleanup_only_when_the_install_fails_does_not_count(run: str) -> None:
    check(APT_LISTS, f"FROM debian:12\nRUN {run}\n")


@pytest.mark.parametrize(
    "run",
    [
        "apt-get update && apt-get install -y git || true && rm -rf /var/lib/apt/lists/*",
        "if apt-get update && apt-get install -y git; then rm -rf /var/lib/apt/lists/*; fi",
        "if true; then apt-get update && apt-get install -y git; else echo; fi; "
        "rm -rf /var/lib/apt/lists/*",
        "apt-get update && apt-get install -y git; if [ -d x ]; then echo; "
        "else rm -rf /var/lib/apt/lists/*; fi",
    ],
)
def test_apt_lists_cleanup_on_the_success_path_counts(run: str) -> None:
    clean(APT_LISTS, f"FROM debian:12\nRUN {run}\n")


def test_apt_lists_brace_expansion_needs_bash() -> None:
    # /bin/sh does not expand braces: the trap from the ottimis file
    check(
        APT_LISTS,
        "FROM php:8.2\nRUN apt-get update && apt-get ⟨install⟩ -y x "
        "&& rm -rf /var/lib/{apt,dpkg,cache,log}/\n",
    )
    clean(
        APT_LISTS,
        'FROM php:8.2\nSHELL ["/bin/bash", "-c"]\n'
        "RUN apt-get update && apt-get install -y x && rm -rf /var/lib/{apt,dpkg}/lists\n",
    )


def test_apt_lists_removed_in_a_later_layer_still_flags_the_first() -> None:
    check(
        APT_LISTS,
        "FROM debian:bookworm\n"
        "RUN apt-get update && apt-get ⟨install⟩ -y x\n"
        "RUN rm -rf /var/lib/apt/lists/*\n",
    )


def test_apt_lists_non_final_stage_is_silent_and_onbuild_counts() -> None:
    clean(
        APT_LISTS,
        "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\n"
        "FROM scratch\nCOPY --from=build /x /x\n",
    )
    check(
        APT_LISTS,
        "FROM debian:bookworm\nONBUILD RUN apt-get update && apt-get ⟨install⟩ -y x\n",
    )


def test_apt_lists_unparsable_shell_mentioning_the_cleanup_is_silent() -> None:
    # an inline `# comment` in backticks stops the shell parser (saleor)
    clean(
        APT_LISTS,
        "FROM python:3.12-slim\n"
        "RUN apt-get update \\\n"
        "  && apt-get install -y \\\n"
        "  libxslt1-dev `# needed by lxml` \\\n"
        "  && rm -rf /var/lib/apt/lists/*\n",
    )


def test_apt_lists_fix_leading_and_style() -> None:
    fix_roundtrip(
        APT_LISTS,
        "FROM debian:bookworm\n"
        "RUN apt-get update \\\n"
        " && apt-get install -y --no-install-recommends git \\\n"
        " && echo done\n",
        "FROM debian:bookworm\n"
        "RUN apt-get update \\\n"
        " && apt-get install -y --no-install-recommends git \\\n"
        " && rm -rf /var/lib/apt/lists/* \\\n"
        " && echo done\n",
    )


@pytest.mark.parametrize(
    ("run", "after"),
    [
        # add-apt-repository refreshes the lists: the cleanup goes after it.
        (
            "apt-get update && apt-get install -y x && add-apt-repository universe",
            "apt-get update && apt-get install -y x && add-apt-repository universe"
            " && rm -rf /var/lib/apt/lists/*",
        ),
        (
            "add-apt-repository universe",
            "add-apt-repository universe && rm -rf /var/lib/apt/lists/*",
        ),
        # an apt command after the last fill still comes first
        (
            "add-apt-repository universe && apt-get install -y x && apt-get clean",
            "add-apt-repository universe && apt-get install -y x && apt-get clean"
            " && rm -rf /var/lib/apt/lists/*",
        ),
    ],
)
def test_apt_lists_fix_goes_after_whatever_fills_the_lists(run: str, after: str) -> None:
    fix_roundtrip(APT_LISTS, f"FROM ubuntu:24.04\nRUN {run}\n", f"FROM ubuntu:24.04\nRUN {after}\n")


def test_apt_lists_fix_trailing_and_style() -> None:
    fix_roundtrip(
        APT_LISTS,
        "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y curl\n",
        "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n"
        "    rm -rf /var/lib/apt/lists/*\n",
    )
    fix_roundtrip(
        APT_LISTS,
        "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n"
        "    echo ok\n",
        "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n"
        "    rm -rf /var/lib/apt/lists/* && \\\n    echo ok\n",
    )


def test_apt_lists_fix_single_line_backtick_escape_and_crlf() -> None:
    fix_roundtrip(
        APT_LISTS,
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y x > /dev/null; echo hi\n",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y x > /dev/null "
        "&& rm -rf /var/lib/apt/lists/*; echo hi\n",
    )
    fix_roundtrip(
        APT_LISTS,
        "# escape=`\r\nFROM debian:bookworm\r\nRUN apt-get update `\r\n"
        " && apt-get install -y x\r\n",
        "# escape=`\r\nFROM debian:bookworm\r\nRUN apt-get update `\r\n"
        " && apt-get install -y x `\r\n && rm -rf /var/lib/apt/lists/*\r\n",
    )


def test_apt_lists_fix_heredoc_appends_a_line() -> None:
    fix_roundtrip(
        APT_LISTS,
        "FROM debian:bookworm\nRUN <<EOF\nset -e\napt-get update\n  apt-get install -y x\nEOF\n",
        "FROM debian:bookworm\nRUN <<EOF\nset -e\napt-get update\n  apt-get install -y x\n"
        "  rm -rf /var/lib/apt/lists/*\nEOF\n",
    )


def test_apt_lists_no_fix_in_exec_form_or_before_a_pipe() -> None:
    (f,) = findings(APT_LISTS, 'FROM debian:bookworm\nRUN ["apt-get", "update"]\n')
    assert not f.fixes
    (f,) = findings(
        APT_LISTS, "FROM debian:bookworm\nRUN apt-get update && apt-get install -y x | tee log\n"
    )
    assert not f.fixes


def test_apt_lists_fix_inside_sh_c_stays_in_the_string() -> None:
    fix_roundtrip(
        APT_LISTS,
        "FROM debian:bookworm\nRUN sh -c 'apt-get update && apt-get install -y x'\n",
        "FROM debian:bookworm\n"
        "RUN sh -c 'apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*'\n",
    )
