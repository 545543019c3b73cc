"""DKL406 tls-verification-disabled: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean

TLS = "DKL406"


@pytest.mark.parametrize(
    "line",
    [
        "RUN curl ⟨-k⟩ -o x https://example.com/x",
        "RUN curl -fsSL⟨k⟩ https://example.com/x | sh",
        "RUN curl ⟨--insecure⟩ https://example.com/x",
        "RUN wget -q ⟨--no-check-certificate⟩ https://example.com/x",
        "RUN pip install ⟨--trusted-host pypi.org⟩ flask",
        "RUN python3 -m pip install ⟨--trusted-host=pypi.org⟩ flask",
        "RUN pip3 config set ⟨global.trusted-host pypi.org⟩",
        "RUN npm config set ⟨strict-ssl false⟩ && npm ci",
        "RUN yarn config set ⟨strict-ssl false⟩",
        "RUN git -c ⟨http.sslVerify=false⟩ clone https://example.com/r.git",
        "RUN git config --global ⟨http.sslVerify false⟩",
        "RUN apk add ⟨--allow-untrusted⟩ /tmp/pkg.apk",
        "RUN apt-get install -y ⟨--allow-unauthenticated⟩ foo",
        "RUN apt-get -o ⟨Acquire::https::Verify-Peer=false⟩ update",
        'RUN echo ⟨"deb [trusted=yes] http://repo.example.com/ ./"⟩ > /etc/apt/sources.list',
        "RUN dnf install -y ⟨--nogpgcheck⟩ foo",
        "RUN ⟨NODE_TLS_REJECT_UNAUTHORIZED=0⟩ npm ci",
        "RUN export ⟨GIT_SSL_NO_VERIFY=1⟩ && git clone https://example.com/r.git",
        "ENV ⟨NODE_TLS_REJECT_UNAUTHORIZED=0⟩",
        "ENV ⟨PYTHONHTTPSVERIFY=0⟩ ⟨PIP_TRUSTED_HOST=pypi.org⟩",
        "ARG ⟨NPM_CONFIG_STRICT_SSL=false⟩",
        "ONBUILD RUN curl ⟨-k⟩ https://example.com/x",
    ],
)
def test_tls_flagged(line: str) -> None:
    check(TLS, f"FROM node:20\n{line}\n")


def test_tls_in_a_heredoc_body() -> None:
    check(TLS, "FROM node:20\nRUN <<EOF\nset -e\nwget ⟨--no-check-certificate⟩ https://x/y\nEOF\n")


@pytest.mark.parametrize(
    "line",
    [
        "RUN curl -fsSL https://example.com/x",
        "RUN curl -o k https://example.com/x",
        "RUN curl -H 'k: v' https://example.com/x",
        "RUN npm config set strict-ssl true",
        "RUN git config --global http.sslVerify true",
        "ENV NODE_TLS_REJECT_UNAUTHORIZED=1",
        "ENV GIT_SSL_NO_VERIFY=",
        "RUN echo strict-ssl false",
        "RUN pip install --no-cache-dir flask",
    ],
)
def test_tls_clean(line: str) -> None:
    clean(TLS, f"FROM node:20\n{line}\n")


def test_tls_skips_powershell_runs() -> None:
    clean(
        TLS,
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\n'
        "RUN curl -k https://example.com/x\n",
    )
