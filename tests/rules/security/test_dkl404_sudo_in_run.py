"""DKL404 sudo-in-run: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings, fixed

SUDO = "DKL404"


def test_sudo_flagged_and_removed() -> None:
    text = "FROM ubuntu:24.04\nRUN sudo apt-get update\n"
    check(SUDO, "FROM ubuntu:24.04\nRUN ⟨sudo⟩ apt-get update\n")
    new = fixed(SUDO, text)
    assert new == "FROM ubuntu:24.04\nRUN apt-get update\n"
    clean(SUDO, new)


def test_sudo_with_harmless_options_in_a_pipe_and_sh_c() -> None:
    text = (
        "FROM ubuntu:24.04\n"
        "RUN curl -fsSL https://deb.nodesource.com/setup_lts.x | sudo -E bash - \\\n"
        "    && sudo sh -c 'apt-get install -y nodejs && npm i -g pnpm'\n"
    )
    check(
        SUDO,
        "FROM ubuntu:24.04\n"
        "RUN curl -fsSL https://deb.nodesource.com/setup_lts.x | ⟨sudo⟩ -E bash - \\\n"
        "    && ⟨sudo⟩ sh -c 'apt-get install -y nodejs && npm i -g pnpm'\n",
    )
    new = fixed(SUDO, text)
    assert new == (
        "FROM ubuntu:24.04\n"
        "RUN curl -fsSL https://deb.nodesource.com/setup_lts.x | bash - \\\n"
        "    && sh -c 'apt-get install -y nodejs && npm i -g pnpm'\n"
    )
    clean(SUDO, new)


def test_sudo_as_root_user_is_harmless_to_remove() -> None:
    assert fixed(SUDO, "FROM debian:12\nRUN sudo -u root -- make install\n") == (
        "FROM debian:12\nRUN make install\n"
    )


def test_sudo_under_a_non_root_user_is_an_unsafe_fix() -> None:
    (f,) = check(SUDO, "FROM node:20\nUSER node\nRUN ⟨sudo⟩ npm i -g pnpm\n")
    assert "'node'" in f.message
    assert not f.fixes[0].safe and "node" in f.fixes[0].title


def test_sudo_user_from_a_parent_stage() -> None:
    (f,) = findings(SUDO, "FROM node:20 AS base\nUSER node\nFROM base\nRUN sudo true\n")
    assert not f.fixes[0].safe


def test_sudo_to_another_user_has_no_fix() -> None:
    (f,) = check(SUDO, "FROM postgres:16\nRUN ⟨sudo⟩ -u postgres initdb\n")
    assert not f.fixes


def test_sudo_in_heredoc_onbuild_and_exec_form() -> None:
    (h, o, e) = check(
        SUDO,
        "FROM ubuntu:24.04\nRUN <<EOF\nset -e\n⟨sudo⟩ apt-get update\nEOF\n"
        "ONBUILD RUN ⟨sudo⟩ make\n"
        'RUN [⟨"sudo"⟩, "make"]\n',
    )
    assert h.fixes and o.fixes and not e.fixes


def test_sudo_fix_in_a_heredoc_body() -> None:
    text = "FROM ubuntu:24.04\nRUN <<EOF\nset -e\n  sudo  apt-get update\nEOF\n"
    new = fixed(SUDO, text)
    assert new == "FROM ubuntu:24.04\nRUN <<EOF\nset -e\n  apt-get update\nEOF\n"
    clean(SUDO, new)


def test_sudo_continuation_keeps_the_line_break() -> None:
    text = "FROM ubuntu:24.04\nRUN sudo \\\n    apt-get update\n"
    new = fixed(SUDO, text)
    assert new == "FROM ubuntu:24.04\nRUN \\\n    apt-get update\n"


@pytest.mark.parametrize(
    "text",
    [
        "FROM ubuntu:24.04\nRUN apt-get install -y sudo\n",
        "FROM ubuntu:24.04\nRUN echo 'sudo is not needed'\n",
        "FROM ubuntu:24.04\nRUN echo 'dev ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers\n",
    ],
)
def test_sudo_clean(text: str) -> None:
    clean(SUDO, text)
