"""DKL101 apt-install-recommends: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import RECOMMENDS
from tests.rules.packages.roundtrip import fix_roundtrip


def test_recommends_flags_the_install_word_of_each_command() -> None:
    (f1, f2) = check(
        RECOMMENDS,
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get ⟨install⟩ -y curl \\\n"
        "    && apt ⟨install⟩ -y git && rm -rf /var/lib/apt/lists/*\n",
    )
    assert "--no-install-recommends" in f1.message and "`apt install`" in f2.message
    assert not f1.fixes[0].safe  # recommended packages disappear: a behaviour change


@pytest.mark.parametrize(
    "run",
    [
        "apt-get install -y --no-install-recommends curl",
        # the option after the package list (voting-app result/tests)
        "apt-get install -qy \\\n    ca-certificates \\\n    --no-install-recommends",
        "apt-get -y --no-install-recommends install curl",
        "apt-get install -y -o APT::Install-Recommends=false curl",
        "apt-get install -y -oAPT::Install-Recommends=0 curl",
        "apt-get update && apt-get -y upgrade",
        "aptitude install -y --without-recommends curl",
    ],
)
def test_recommends_clean(run: str) -> None:
    clean(RECOMMENDS, f"FROM debian:bookworm\nRUN {run}\n")


def test_recommends_apt_conf_written_earlier_in_the_chain() -> None:
    clean(
        RECOMMENDS,
        "FROM debian:bookworm AS base\n"
        "RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends\n"
        "FROM base\n"
        "RUN apt-get install -y curl\n",
    )
    clean(
        RECOMMENDS,
        "FROM debian:bookworm\nCOPY 99norecommends /etc/apt/apt.conf.d/\n"
        "RUN apt-get install -y x\n",
    )


def test_recommends_one_off_option_does_not_configure_later_installs() -> None:
    # -o on one command is not configuration: only apt.conf(.d) written earlier counts
    check(
        RECOMMENDS,
        "FROM debian:12\n"
        "RUN apt-get update && apt-get install -y -o APT::Install-Recommends=false curl "
        "&& rm -rf /var/lib/apt/lists/*\n"
        "RUN apt-get update && apt-get ⟨install⟩ -y git && rm -rf /var/lib/apt/lists/*\n",
    )
    check(
        RECOMMENDS,
        "FROM debian:12\n"
        "RUN echo 'APT::Install-Recommends \"false\";' > /tmp/notes\n"
        "RUN apt-get ⟨install⟩ -y git\n",
    )


def test_recommends_apt_conf_written_with_escaped_quotes_or_tee() -> None:
    clean(
        RECOMMENDS,
        "FROM debian:12\n"
        'RUN echo "APT::Install-Recommends \\"false\\";" > /etc/apt/apt.conf.d/99norecommends\n'
        "RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n",
    )
    clean(
        RECOMMENDS,
        "FROM debian:12\n"
        "RUN echo 'APT::Install-Recommends \"0\";' | tee -a /etc/apt/apt.conf >/dev/null\n"
        "RUN apt-get install -y git\n",
    )
    clean(
        RECOMMENDS,
        "FROM debian:12\n"
        "RUN <<EOF\ncat > /etc/apt/apt.conf.d/99local <<CONF\n"
        'APT::Install-Recommends "false";\nCONF\nEOF\n'
        "RUN apt-get install -y git\n",
    )


def test_recommends_only_in_shipping_stages() -> None:
    check(
        RECOMMENDS,
        "FROM debian:bookworm AS build\n"
        "RUN apt-get install -y gcc\n"
        "FROM debian:bookworm-slim\n"
        "RUN apt-get ⟨install⟩ -y libpq5\n",
    )


def test_recommends_onbuild_heredoc_and_exec_form() -> None:
    check(
        RECOMMENDS,
        "FROM debian:bookworm\n"
        "ONBUILD RUN apt-get ⟨install⟩ -y curl\n"
        "RUN <<EOF\nset -e\napt-get ⟨install⟩ -y git\nEOF\n"
        'RUN ["apt-get", ⟨"install"⟩, "-y", "make"]\n',
    )


def test_recommends_fix_inserts_after_install() -> None:
    fix_roundtrip(
        RECOMMENDS,
        "FROM debian:bookworm\nRUN apt-get install -y curl\n",
        "FROM debian:bookworm\nRUN apt-get install --no-install-recommends -y curl\n",
    )
    fix_roundtrip(
        RECOMMENDS,
        'FROM debian:bookworm\r\nRUN ["apt-get", "install", "-y", "x"]\r\n',
        "FROM debian:bookworm\r\n"
        'RUN ["apt-get", "install", "--no-install-recommends", "-y", "x"]\r\n',
    )
    fix_roundtrip(
        RECOMMENDS,
        "FROM debian:bookworm\nRUN aptitude install -y x\n",
        "FROM debian:bookworm\nRUN aptitude install --without-recommends -y x\n",
    )
