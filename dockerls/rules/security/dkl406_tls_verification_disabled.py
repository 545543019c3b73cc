"""DKL406 tls-verification-disabled: A download turns off TLS certificate or package
signature checks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.programs import program, unwrap
from dockerls.rules.security.instructions import arg_env_pairs, posix_runs
from dockerls.shell import Command, Word
from dockerls.syntax import Severity, Span

_FALSE = frozenset({"false", "0", "no", "off"})
_TRUE = frozenset({"true", "1", "yes", "on"})
_ANY = frozenset({"*"})

# Options that switch a check off, by program.
_INSECURE_OPTIONS: dict[str, tuple[str, ...]] = {
    "curl": ("-k", "--insecure"),
    "wget": ("--no-check-certificate",),
    "apk": ("--allow-untrusted",),
    "apt-get": ("--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"),
    "yum": ("--nogpgcheck",),
    "dnf": ("--nogpgcheck",),
    "microdnf": ("--nogpgcheck",),
    "tdnf": ("--nogpgcheck",),
    "zypper": ("--no-gpg-checks",),
    "rpm": ("--nosignature",),
    "uv": ("--allow-insecure-host",),
    "conda": ("--insecure",),
    "helm": ("--insecure-skip-tls-verify",),
    "kubectl": ("--insecure-skip-tls-verify",),
}
_INSECURE_OPTIONS["apt"] = _INSECURE_OPTIONS["aptitude"] = _INSECURE_OPTIONS["apt-get"]

# ``key value`` / ``key=value`` settings that switch a check off, by the key's last part
# (``http.sslVerify``, ``global.trusted-host``, ``Acquire::https::Verify-Peer``).
_INSECURE_SETTINGS: dict[str, frozenset[str]] = {
    "strict-ssl": _FALSE,
    "enablestrictssl": _FALSE,
    "sslverify": _FALSE,
    "ssl_verify": _FALSE,
    "verify-peer": _FALSE,
    "verify-host": _FALSE,
    "allowunauthenticated": _TRUE,
    "allowinsecurerepositories": _TRUE,
    "trusted-host": _ANY,
    "secure-http": _FALSE,
    "disable-tls": _TRUE,
    "gpgcheck": _FALSE,
}
_SETTING_PROGRAMS = frozenset(
    {
        "npm",
        "pnpm",
        "yarn",
        "pip",
        "git",
        "conda",
        "mamba",
        "micromamba",
        "composer",
        "apt-get",
        "apt",
        "aptitude",
        "yum",
        "dnf",
        "microdnf",
        "tdnf",
    }
)

# Environment variables that switch a check off.
_INSECURE_ENV: dict[str, frozenset[str]] = {
    "NODE_TLS_REJECT_UNAUTHORIZED": frozenset({"0"}),
    "PYTHONHTTPSVERIFY": frozenset({"0"}),
    "GIT_SSL_NO_VERIFY": _ANY,  # git disables verification when it is set at all
    "NPM_CONFIG_STRICT_SSL": _FALSE,
    "YARN_ENABLE_STRICT_SSL": _FALSE,
    "PIP_TRUSTED_HOST": _ANY,
}
_APT_TRUSTED = re.compile(r"\[[^\]]*\btrusted=yes\b", re.IGNORECASE)


def _bad(value: str, bad: frozenset[str]) -> bool:
    value = value.strip().strip("\"'").lower()
    return bool(value) if bad is _ANY else value in bad


def _setting(key: str) -> frozenset[str] | None:
    last = re.split(r"[.:]+", key.lstrip("-").lower())[-1]
    return _INSECURE_SETTINGS.get(last)


def _letter_span(word: Word, letter: str) -> Span:
    """The span of one short option inside a cluster such as ``-fsSLk``."""
    span = word.span
    at = word.raw.find(letter, 1)
    if word.raw != word.text or span.start.line != span.end.line or at < 0:
        return span
    return Span.of(span.start.line, span.start.column + at, None, span.start.column + at + 1)


def _insecure_words(cmd: Command) -> Iterator[tuple[Span, str]]:
    cmd = unwrap(cmd)
    name = program(cmd.name)
    for opt in cmd.options():
        if opt.name in _INSECURE_OPTIONS.get(name, ()):
            span = opt.word.span
            if not opt.word.text.startswith("--") and len(opt.word.text) > 2:
                span = _letter_span(opt.word, opt.name[1])
            yield span, f"{name} {opt.name}"
    args = cmd.args
    for i, word in enumerate(args):
        if _APT_TRUSTED.search(word.text):
            yield word.span, "an APT source marked [trusted=yes]"
            continue
        if name not in _SETTING_PROGRAMS or word.dynamic:
            continue
        parts = word.text.split("=")
        if len(parts) >= 2:
            key, value, end = parts[-2], parts[-1], word
        elif i + 1 < len(args):
            key, value, end = word.text, args[i + 1].text, args[i + 1]
        else:
            continue
        bad = _setting(key)
        if bad is not None and _bad(value, bad):
            span = word.span
            if end is not word and end.span.start.line == span.start.line:
                span = span.cover(end.span)
            shown = word.text if end is word else f"{word.text} {end.text}"
            yield span, f"{name} {shown}"


def _insecure_assignment(name: str, value: str | None) -> bool:
    bad = _INSECURE_ENV.get(name.upper())
    return bad is not None and value is not None and _bad(value, bad)


def _tls_message(what: str) -> str:
    return (
        f"{what} turns off certificate or signature verification: a network attacker or a "
        "compromised mirror can then feed the build anything."
    )


@rule(
    "DKL406",
    "tls-verification-disabled",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="A download turns off TLS certificate or package signature checks.",
    docs=RuleDocs(
        what="Options, settings and environment variables that make a download trust "
        "anything: `curl -k/--insecure`, `wget --no-check-certificate`, `pip --trusted-host` "
        "(and `PIP_TRUSTED_HOST`), `npm/yarn/pnpm config set strict-ssl false`, "
        "`git -c http.sslVerify=false`, `GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, "
        "`PYTHONHTTPSVERIFY=0`, `apk --allow-untrusted`, `apt-get --allow-unauthenticated`/"
        "`--allow-insecure-repositories`, `deb [trusted=yes]` sources, `yum/dnf --nogpgcheck`, "
        "`rpm --nosignature`, in RUN (also inline `VAR=…`/`export`) and in ENV/ARG.",
        why="Build steps download code that ends up running in production. Without "
        "certificate checks a proxy, a hijacked DNS answer or a compromised mirror can "
        "substitute any file; without package signatures nothing proves a package comes "
        "from the distribution. ENV settings also keep verification off in the running "
        "container. A corporate TLS-intercepting proxy is better handled by adding its CA "
        "certificate (update-ca-certificates, `NODE_EXTRA_CA_CERTS`, `PIP_CERT`).",
        example="RUN curl -kfsSL https://example.com/install.sh | sh",
        instead="RUN curl -fsSL https://example.com/install.sh | sh",
        fix_safety="No automatic fix: removing the option may make the download fail until "
        "the right CA certificate is installed.",
        references=(
            "https://curl.se/docs/sslcerts.html",
            "https://pip.pypa.io/en/stable/cli/pip/#cmdoption-trusted-host",
            "https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue",
            "https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify",
            "https://docs.docker.com/engine/network/ca-certs/",
        ),
    ),
)
def tls_verification_disabled(ctx: RuleContext) -> Iterator[Hit]:
    for ins, pair in arg_env_pairs(ctx):
        value = pair.value.text if pair.value is not None else None
        if _insecure_assignment(pair.key.text, value):
            yield Hit(pair.span, _tls_message(f"{ins.name} {pair.key.text}={value}"))
    for _, ins in posix_runs(ctx):
        script = ctx.script(ins)
        seen: set[Span] = set()
        assignments = list(script.assignments)
        for cmd in script.commands:
            assignments.extend(cmd.assignments)
            for span, what in _insecure_words(cmd):
                if span not in seen:
                    seen.add(span)
                    yield Hit(span, _tls_message(what))
        for a in assignments:
            value = a.value.text if a.value is not None else None
            if a.span not in seen and _insecure_assignment(a.name, value):
                seen.add(a.span)
                yield Hit(a.span, _tls_message(f"{a.name}={value}"))
