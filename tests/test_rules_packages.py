"""Package-manager bloat rules (DKL101 to DKL115): spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from tests.rulecheck import check, clean, findings, fixed

(
    RECOMMENDS,
    APT_LISTS,
    APK,
    PIP,
    RPM,
    NODE,
    GEM,
    BUILD_CACHE,
    LATER,
    UPGRADE,
    CURL_WGET,
    USERADD,
    MISMATCH,
    ARCHIVE,
    CHOWN,
) = (f"DKL1{n:02d}" for n in range(1, 16))


def fix_roundtrip(code: str, text: str, expected: str, index: int = 0) -> None:
    """The fix gives exactly ``expected``, and the rule is silent on the result."""
    result = fixed(code, text, index=index)
    assert result == expected
    clean(code, result)


# -- DKL101 apt-install-recommends ---------------------------------------------


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


# -- DKL102 apt-lists-left -------------------------------------------------------


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


# -- DKL103 apk-cache-left -----------------------------------------------------------


def test_apk_add_without_no_cache() -> None:
    (f,) = check(APK, "FROM alpine:3.20\nRUN apk update && apk ⟨add⟩ curl\n")
    assert "/var/cache/apk" in f.message


def test_apk_update_alone_is_flagged_without_fix() -> None:
    (f,) = check(APK, "FROM alpine:3.20\nRUN apk ⟨update⟩ && apk add --no-cache curl\n")
    assert not f.fixes and "--no-cache" in f.message


@pytest.mark.parametrize(
    "run",
    [
        "apk add --no-cache curl",
        "apk --no-cache add curl",
        "apk add --update --no-cache curl",
        "apk update && apk add curl && rm -rf /var/cache/apk/*",
        "--mount=type=cache,target=/var/cache/apk apk add curl",
        "--mount=type=cache,target=/etc/apk/cache apk update && apk add curl",
    ],
)
def test_apk_clean(run: str) -> None:
    clean(APK, f"FROM alpine:3.20\nRUN {run}\n")


def test_apk_non_final_stage_is_silent() -> None:
    clean(APK, "FROM golang:1.22-alpine AS build\nRUN apk add git\nFROM scratch\n")


def test_apk_fix_also_removes_the_update_before_the_add() -> None:
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\nRUN apk update && apk add curl\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    )
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\r\nRUN set -eux; \\\r\n    apk update; \\\r\n"
        "    apk add --virtual .deps gcc && apk add git\r\n",
        "FROM alpine:3.20\r\nRUN set -eux; \\\r\n    "
        "apk add --no-cache --virtual .deps gcc && apk add --no-cache git\r\n",
    )
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\nRUN <<EOF\napk update\napk add curl\nEOF\n",
        "FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nEOF\n",
    )
    # an update that is not simply run just before the add stays, and is reported afterwards
    assert fixed(APK, "FROM alpine:3.20\nRUN apk update && apk upgrade && apk add x\n") == (
        "FROM alpine:3.20\nRUN apk update && apk upgrade && apk add --no-cache x\n"
    )
    text = "FROM alpine:3.20\nRUN apk update || true && apk add curl\n"
    assert (
        fixed(APK, text) == "FROM alpine:3.20\nRUN apk update || true && apk add --no-cache curl\n"
    )
    check(APK, "FROM alpine:3.20\nRUN apk ⟨update⟩ || true && apk add --no-cache curl\n")
    assert fixed(APK, "FROM alpine:3.20\nRUN apk update && (apk add x)\n") == (
        "FROM alpine:3.20\nRUN apk update && (apk add --no-cache x)\n"
    )
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\nONBUILD RUN apk add --virtual .deps gcc\n",
        "FROM alpine:3.20\nONBUILD RUN apk add --no-cache --virtual .deps gcc\n",
    )


# -- DKL104 pip-cache-left --------------------------------------------------------


def test_pip_flags_each_install() -> None:
    (f1, f2, _) = check(
        PIP,
        "FROM python:3.12-slim\n"
        "RUN pip ⟨install⟩ --upgrade pip \\\n"
        " && python3 -m pip ⟨install⟩ -r requirements.txt \\\n"
        " && pip3.12 ⟨install⟩ gunicorn\n",
    )
    assert "--no-cache-dir" in f1.message and "~/.cache/pip" in f2.message


@pytest.mark.parametrize(
    "text",
    [
        "RUN pip install --no-cache-dir flask",
        "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask",
        # pip disables the cache for false/0/off too (backwards compatibility)
        "ENV PIP_NO_CACHE_DIR=off\nRUN pip install flask",
        "ARG PIP_NO_CACHE_DIR=1\nRUN pip install flask",
        "RUN PIP_NO_CACHE_DIR=1 pip install flask",
        "RUN export PIP_NO_CACHE_DIR=1 && pip install flask",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install flask",
        "RUN --mount=type=cache,target=/root/.cache pip install flask",
        "USER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install x",
        "RUN pip install flask && pip cache purge",
        "RUN pip install flask && rm -rf ~/.cache/pip",
        "RUN pip install flask && rm -rf /root/.cache",
        "ENV PIP_CACHE_DIR=/tmp/pip\nRUN pip install flask && rm -rf $PIP_CACHE_DIR",
        "RUN uv pip install --no-cache flask",
        "ENV UV_NO_CACHE=1\nRUN uv pip install flask",
        "RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system flask",
        "RUN pipx install black && pipenv install",
    ],
)
def test_pip_clean(text: str) -> None:
    clean(PIP, f"FROM python:3.12-slim\n{text}\n")


def test_pip_uv_pip_install_and_non_final_stage() -> None:
    (f,) = check(
        PIP,
        "FROM python:3.12 AS build\nRUN pip install -r requirements.txt\n"
        "FROM python:3.12-slim\nRUN uv pip ⟨install⟩ --system flask\n",
    )
    assert "~/.cache/uv" in f.message and "--no-cache" in f.message


def test_uv_project_installs_are_the_pip_cache_finding() -> None:
    found = check(
        PIP,
        "FROM python:3.12-slim\nRUN uv ⟨sync⟩ --frozen --no-install-project && uv ⟨sync⟩ --frozen\n"
        "RUN uv ⟨add⟩ requests\nRUN uv ⟨run⟩ --frozen pytest\nRUN uv tool ⟨install⟩ ruff\n"
        "RUN python -m uv ⟨sync⟩\n",
    )
    assert [f.message.split("`")[1] for f in found] == [
        "uv sync",
        "uv sync",
        "uv add",
        "uv run",
        "uv tool install",
        "uv sync",
    ]
    assert all("~/.cache/uv" in f.message and "UV_NO_CACHE" in f.message for f in found)
    fix_roundtrip(
        PIP,
        "FROM python:3.12-slim\nRUN uv sync --frozen --no-install-project && uv sync --frozen\n"
        'RUN ["uv", "tool", "install", "ruff"]\n',
        "FROM python:3.12-slim\n"
        "RUN uv sync --no-cache --frozen --no-install-project && uv sync --no-cache --frozen\n"
        'RUN ["uv", "tool", "install", "--no-cache", "ruff"]\n',
    )


@pytest.mark.parametrize(
    "text",
    [
        "ENV UV_NO_CACHE=1\nRUN uv sync --frozen",
        "ENV UV_NO_CACHE=true\nRUN uv run --frozen pytest",
        "RUN uv sync --no-cache --locked && uv tool install -n ruff",
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked",
        "ENV UV_CACHE_DIR=/tmp/uv\nRUN --mount=type=cache,target=/tmp/uv uv sync --locked",
        "RUN uv sync --frozen && uv cache clean",
        "RUN uv sync --frozen && rm -rf /root/.cache/uv",
        "RUN uv python install 3.12 && uv venv && uv lock",
    ],
)
def test_uv_cache_clean(text: str) -> None:
    clean(PIP, f"FROM python:3.12-slim\n{text}\n")


def test_uv_cache_in_a_builder_stage_is_clean() -> None:
    clean(
        PIP,
        "FROM python:3.12 AS build\nRUN uv sync --frozen\n"
        "FROM python:3.12-slim\nCOPY --from=build /app/.venv /app/.venv\n",
    )


def test_pip_empty_env_value_does_not_count() -> None:
    check(PIP, "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=\nRUN pip ⟨install⟩ flask\n")


def test_pip_fixes() -> None:
    fix_roundtrip(
        PIP,
        "FROM python:3.12-slim\nRUN python -m pip install -U pip && uv pip sync r.txt\n",
        "FROM python:3.12-slim\n"
        "RUN python -m pip install --no-cache-dir -U pip && uv pip sync --no-cache r.txt\n",
    )
    fix_roundtrip(
        PIP,
        'FROM python:3.12-slim\nRUN ["pip", "install", "flask"]\n',
        'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "flask"]\n',
    )
    fix_roundtrip(
        PIP,
        "FROM python:3.12-slim\nRUN <<EOF\npip install flask\nEOF\n",
        "FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir flask\nEOF\n",
    )


# -- DKL105 rpm-cache-left ----------------------------------------------------------


def test_rpm_flags_the_first_subcommand_per_cache() -> None:
    (f,) = check(
        RPM,
        "FROM rockylinux:9\nRUN dnf ⟨install⟩ -y python3 && dnf install -y git\n",
    )
    assert "dnf clean all" in f.message
    check(RPM, "FROM opensuse/leap:15.6\nRUN zypper --non-interactive ⟨install⟩ curl\n")


@pytest.mark.parametrize(
    "run",
    [
        "dnf install -y python3 && dnf clean all",
        "yum install -y python3 && yum clean all && rm -rf /var/cache/yum",
        "microdnf install -y python3 && microdnf clean all",
        "dnf install -y x && rm -rf /var/cache/dnf",
        "dnf5 install -y x && rm -rf /var/cache/libdnf5*",
        "--mount=type=cache,target=/var/cache/dnf dnf install -y x",
        "zypper -n install curl && zypper clean -a",
        "zypper -n in curl && zypper cc",
        "dnf remove -y x",
        "dnf clean all",
    ],
)
def test_rpm_clean(run: str) -> None:
    clean(RPM, f"FROM fedora:40\nRUN {run}\n")


def test_rpm_fixes() -> None:
    fix_roundtrip(
        RPM,
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\n"
        "RUN microdnf install -y shadow-utils && \\\n    microdnf update -y\n",
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\n"
        "RUN microdnf install -y shadow-utils && \\\n    microdnf update -y && \\\n"
        "    microdnf clean all\n",
    )
    fix_roundtrip(
        RPM,
        "FROM opensuse/leap\nRUN zypper -n install curl\n",
        "FROM opensuse/leap\nRUN zypper -n install curl && zypper clean --all\n",
    )


# -- DKL106 node-package-cache-left ------------------------------------------------


def test_node_cache_npm_and_yarn_once_per_run() -> None:
    (npm, yarn) = check(
        NODE,
        "FROM node:20-slim\nRUN npm ⟨ci⟩ --omit=dev && npm install -g pm2 && ⟨yarn⟩\n",
    )
    assert "npm cache clean --force" in npm.message and "yarn cache clean" in yarn.message


@pytest.mark.parametrize(
    "run",
    [
        "npm ci --omit=dev && npm cache clean --force",
        "npm install && npm cache clear",
        "--mount=type=cache,target=/root/.npm npm ci",
        "--mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile",
        "yarn install && yarn cache clean",
        'yarn install && rm -rf "$(yarn cache dir)"',
        "npm ci --cache /tmp/npm && rm -rf /tmp/npm",
        "pnpm install --frozen-lockfile",
        "npm run build",
    ],
)
def test_node_cache_clean(run: str) -> None:
    clean(NODE, f"FROM node:20-slim\nRUN {run}\n")


def test_node_cache_env_moved_into_a_mount() -> None:
    clean(
        NODE,
        "FROM node:20-slim\nENV npm_config_cache=/cache/npm\n"
        "RUN --mount=type=cache,target=/cache npm ci\n",
    )


def test_node_cache_builder_stage_is_silent() -> None:
    clean(
        NODE,
        "FROM node:20 AS build\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
    )


def test_node_cache_fixes() -> None:
    fix_roundtrip(
        NODE,
        "FROM node:20-slim\nRUN npm ci && npm run build\n",
        "FROM node:20-slim\nRUN npm ci && npm run build && npm cache clean --force\n",
    )
    fix_roundtrip(
        NODE,
        "FROM node:20-slim\nRUN yarn global add nodemon\n",
        "FROM node:20-slim\nRUN yarn global add nodemon && yarn cache clean\n",
    )
    (f,) = findings(NODE, 'FROM node:20-slim\nRUN ["npm", "ci"]\n')
    assert not f.fixes


# -- DKL107 gem-documentation-installed ----------------------------------------------


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


# -- DKL108 language-build-cache-left ---------------------------------------------


def test_build_cache_go_in_a_single_stage_image() -> None:
    (mod, build) = check(
        BUILD_CACHE,
        "FROM golang:1.23\nRUN go mod ⟨download⟩\nRUN go ⟨build⟩ -o /app ./cmd/app\n",
    )
    assert "`go mod download`" in mod.message and "module cache" in mod.message
    assert "build cache" in build.message
    assert not build.fixes


@pytest.mark.parametrize(
    "text",
    [
        "FROM golang:1.23\nRUN --mount=type=cache,target=/root/.cache/go-build "
        "--mount=type=cache,target=/go/pkg/mod go build -o /app .",
        "FROM golang:1.23\nRUN go build -o /app . && go clean -cache -modcache",
        "FROM golang:1.23\nRUN go build -mod=vendor -o /app . && rm -rf /root/.cache/go-build",
        "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\n"
        "COPY --from=build /app /app",
        "FROM rust:1.80\nWORKDIR /src\nRUN cargo build --release && cargo clean "
        "&& rm -rf /usr/local/cargo/registry",
        "FROM maven:3-eclipse-temurin-21\nRUN --mount=type=cache,target=/root/.m2 mvn -B package",
        "FROM gradle:8-jdk21\nRUN gradle build && rm -rf ~/.gradle",
        "FROM python:3.12-slim\nRUN poetry install --no-cache --only main",
        "FROM python:3.12-slim\nENV POETRY_CACHE_DIR=/tmp/poetry\n"
        "RUN poetry install --only main && rm -rf $POETRY_CACHE_DIR",
        # uv's cache is DKL104's (the pip/uv cache finding), never this rule's too.
        "FROM python:3.12-slim\nRUN uv sync --frozen",
        "FROM python:3.12-slim\nRUN uv tool install ruff && uv run pytest",
        "FROM php:8.3-cli\nRUN composer install --no-dev && composer clear-cache",
        "FROM python:3.12-slim\nRUN uv python install 3.12 && uv venv",
        "FROM golang:1.23\nRUN go version && go env",
    ],
)
def test_build_cache_clean(text: str) -> None:
    clean(BUILD_CACHE, text + "\n")


def test_build_cache_other_tools() -> None:
    check(
        BUILD_CACHE,
        "FROM rust:1.80\nWORKDIR /src\nRUN cargo ⟨build⟩ --release\n"
        "RUN cargo ⟨install⟩ ripgrep\n"
        "RUN ⟨mvn⟩ -B package && ⟨./gradlew⟩ build\n"
        "RUN composer ⟨install⟩ && dotnet ⟨publish⟩ -c Release\n",
    )


def test_build_cache_poetry_fix() -> None:
    fix_roundtrip(
        BUILD_CACHE,
        "FROM python:3.12-slim\nRUN poetry install --only main\n",
        "FROM python:3.12-slim\nRUN poetry install --no-cache --only main\n",
    )


# -- DKL109 cleanup-in-later-layer -------------------------------------------------


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


# -- DKL110 package-upgrade --------------------------------------------------------------


def test_upgrade_whole_system() -> None:
    check(
        UPGRADE,
        "FROM debian:bookworm\n"
        "RUN apt-get update && apt-get -y ⟨dist-upgrade⟩ && apt-get ⟨upgrade⟩ -y\n"
        "RUN apk ⟨upgrade⟩ --no-cache\n"
        "RUN dnf -y ⟨upgrade⟩ && yum ⟨update⟩ -y && zypper -n ⟨dup⟩\n",
    )


@pytest.mark.parametrize(
    "run",
    [
        "apk upgrade --no-cache openssl",
        "dnf -y update openssl",
        "apt-get install -y --only-upgrade openssl",
        "apk add --upgrade curl",
        "apt-get update",
    ],
)
def test_upgrade_clean(run: str) -> None:
    clean(UPGRADE, f"FROM debian:bookworm\nRUN {run}\n")


def test_upgrade_builder_stage_is_silent() -> None:
    clean(UPGRADE, "FROM debian:bookworm AS b\nRUN apt-get upgrade -y\nFROM scratch\n")


# -- DKL111 curl-and-wget ---------------------------------------------------------------


def test_curl_and_wget_flags_the_second() -> None:
    (f,) = check(
        CURL_WGET,
        "FROM debian:bookworm-slim\nRUN curl -fsSLO https://x/a.tgz\n"
        "HEALTHCHECK CMD ⟨wget⟩ -qO- http://localhost/health\n",
    )
    assert f.related[0].span.start.line == 1


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:bookworm-slim\nRUN curl -fsSLO https://x/a.tgz",
        # wget is busybox's applet on alpine
        "FROM alpine:3.20\nRUN apk add --no-cache curl && curl -O https://x && wget https://y",
        # buildpack-deps based images ship both
        "FROM node:20\nRUN curl -O https://x && wget https://y",
        # builder stages do not ship
        "FROM debian:bookworm AS b\nRUN wget https://y\nFROM debian:bookworm-slim\n"
        "RUN curl -O https://x",
    ],
)
def test_curl_and_wget_clean(text: str) -> None:
    clean(CURL_WGET, text + "\n")


# -- DKL112 useradd-without-no-log-init ----------------------------------------------


def test_useradd_high_uid() -> None:
    (f,) = check(USERADD, "FROM debian:bookworm\nRUN ⟨useradd⟩ -u 1000000 -m app\n")
    assert "324 MB" in f.message


@pytest.mark.parametrize(
    "run",
    [
        "useradd -u 1000 app",
        "useradd -l -u 1000000 app",
        "useradd --no-log-init -u 1000000 app",
        "useradd -lu 1000000 app",
        "useradd -u $UID app",
        "adduser -u 1000000 app",
    ],
)
def test_useradd_clean(run: str) -> None:
    clean(USERADD, f"FROM debian:bookworm\nRUN {run}\n")


def test_useradd_fix() -> None:
    fix_roundtrip(
        USERADD,
        "FROM debian:bookworm\nRUN groupadd -g 70000 app && useradd --uid=70000 -g app app\n",
        "FROM debian:bookworm\n"
        "RUN groupadd -g 70000 app && useradd --no-log-init --uid=70000 -g app app\n",
    )
    fix_roundtrip(
        USERADD,
        'FROM debian:bookworm\nRUN ["useradd", "-u", "123456", "app"]\n',
        'FROM debian:bookworm\nRUN ["useradd", "--no-log-init", "-u", "123456", "app"]\n',
    )


# -- DKL113 package-manager-mismatch ---------------------------------------------------


def test_mismatch_apk_on_debian_and_apt_on_alpine() -> None:
    (f,) = check(MISMATCH, "FROM python:3.12-slim\nRUN ⟨apk⟩ add --no-cache curl\n")
    assert "apt" in f.message
    check(
        MISMATCH,
        "FROM node:20-alpine AS build\nRUN ⟨apt-get⟩ update\nFROM build\nRUN ⟨yum⟩ install -y x\n",
    )


def test_mismatch_no_package_manager_and_rpm_variants() -> None:
    (f,) = check(
        MISMATCH,
        'FROM gcr.io/distroless/static-debian12 AS a\nRUN [⟨"apt-get"⟩, "install", "x"]\n'
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN ⟨dnf⟩ install -y x\n"
        "FROM amazonlinux:2\nRUN ⟨dnf⟩ install -y x\n",
    )[:1]
    assert "no package manager" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12-slim\nRUN apt-get update",
        "FROM alpine:3.20\nRUN apk add --no-cache curl",
        "FROM fedora:40\nRUN yum install -y x && dnf install -y y",
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y x",
        # scripts written for several distributions
        "FROM alpine:3.20\nRUN if command -v apt-get; then apt-get install -y x; "
        "else apk add x; fi",
        "FROM debian:bookworm\nRUN apk add x || apt-get install -y x",
        # the manager was installed first
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y dnf\n"
        "RUN dnf install -y x",
        # unknown image: silent
        "FROM example.com/custom:1\nRUN apk add x",
        "FROM ${BASE}\nRUN apk add x",
    ],
)
def test_mismatch_clean(text: str) -> None:
    clean(MISMATCH, text + "\n")


# -- DKL114 archive-extracted-in-later-layer ------------------------------------------


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


# -- DKL115 recursive-chown-after-copy ------------------------------------------------


def test_chown_after_copy_workdir_relative() -> None:
    (f,) = check(
        CHOWN,
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN ⟨chown⟩ -R node:node .\n",
    )
    assert f.related[0].span.start.line == 2


def test_chown_and_chmod_on_a_parent_or_child_path() -> None:
    check(
        CHOWN,
        "FROM python:3.12-slim\nCOPY --from=build /venv /opt/venv\nCOPY src /opt/app/src\n"
        "RUN ⟨chown⟩ -R app:app /opt && ⟨chmod⟩ -R 755 /opt/venv/bin\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "COPY . /app\nRUN chown app:app /app",
        "COPY . /app\nRUN chown -R app:app /data",
        "COPY --chown=app:app . /app\nRUN mkdir /data && chown -R app /data",
        "RUN chown -R app /app",
        # another stage's copy
        "COPY . /app\nFROM python:3.12-slim\nRUN chown -R app /app",
    ],
)
def test_chown_clean(text: str) -> None:
    clean(CHOWN, f"FROM python:3.12-slim AS one\n{text}\n")


def test_chown_fix_moves_the_owner_to_copy() -> None:
    text = (
        "FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nCOPY . .\n"
        "RUN chown -R node:node /app\nUSER node\n"
    )
    (f,) = findings(CHOWN, text)
    assert not f.fixes[0].safe
    fix_roundtrip(
        CHOWN,
        text,
        "FROM node:20-slim\nWORKDIR /app\nCOPY --chown=node:node package*.json ./\n"
        "COPY --chown=node:node . .\nUSER node\n",
    )
    fix_roundtrip(
        CHOWN,
        "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n"
        "RUN chmod -R 644 /usr/share/nginx/html",
        "FROM nginx:1.27\nCOPY --chmod=644 site/ /usr/share/nginx/html/",
    )


def test_chown_no_fix_when_more_runs_or_commands() -> None:
    for text in (
        "FROM node:20-slim\nCOPY . /app\nRUN npm ci\nRUN chown -R node /app\n",
        "FROM node:20-slim\nCOPY . /app\nRUN mkdir /data && chown -R node /app\n",
        "FROM node:20-slim\nCOPY . /app\nRUN chmod -R u+x /app\n",
        "FROM node:20-slim\nCOPY --chown=root . /app\nRUN chown -R node /app\n",
        "FROM node:20-slim\nCOPY . /app\nONBUILD RUN chown -R node /app\n",
    ):
        (f,) = findings(CHOWN, text)
        assert not f.fixes, text


# -- every rule ----------------------------------------------------------------------


@pytest.mark.parametrize("code", [f"DKL1{n:02d}" for n in range(1, 16)])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "FROM debian\nRUN",
        "FROM debian\nRUN apt-get",
        "FROM debian\nRUN apt-get install",
        "FROM debian\nRUN ['broken",
        "FROM debian\nRUN if then fi ((( apt-get install \\\n",
        "FROM debian\nRUN <<EOF\napt-get install x\n",
        "FROM debian\nCOPY\nRUN chown -R",
        "FROM debian\nRUN useradd -u\nRUN tar -x -f\nRUN curl -o\nRUN rm -rf $X/{a,b}",
        "FROM debian\nWORKDIR\nRUN cd && cd $NOPE && tar xf a.tgz",
    ],
)
def test_rules_never_raise_on_half_typed_input(code: str, text: str) -> None:
    # a check that raises is reported as a DKL000 finding
    found = analyze(text, Settings(select=(code,))).findings
    assert not [f for f in found if f.code == "DKL000"]


# -- ONBUILD triggers run in a child build, after every instruction of this image ---------


def test_triggers_relate_only_to_what_ran_before_them() -> None:
    clean(CHOWN, "FROM node:20-slim\nONBUILD COPY . /app\nRUN chown -R node /app\n")
    clean(ARCHIVE, "FROM debian:bookworm\nONBUILD COPY a.tgz /tmp/\nRUN tar -xzf /tmp/a.tgz\n")
    clean(LATER, "FROM python:3.12-slim\nONBUILD RUN pip install x\nRUN pip cache purge\n")
    check(
        ARCHIVE,
        "FROM debian:bookworm\nONBUILD COPY a.tgz /tmp/\nONBUILD RUN ⟨tar⟩ -xzf /tmp/a.tgz\n",
    )
    check(LATER, "FROM python:3.12-slim\nRUN pip install x\nONBUILD RUN ⟨pip⟩ cache purge\n")
