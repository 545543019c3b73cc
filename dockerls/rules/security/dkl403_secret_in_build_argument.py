"""DKL403 secret-in-build-argument: An ARG or ENV name looks like it holds a secret."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.rules.doc_links import BUILD_CHECKS, HADOLINT_WIKI
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.security.instructions import arg_env_pairs
from dockerls.syntax import Severity

# BuildKit's SecretsUsedInArgOrEnv heuristic: a secret-like word delimited by '_' or
# the ends of the name, unless an allow-listed word is also there.
_SECRET_WORDS = re.compile(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)",
    re.IGNORECASE,
)
# BuildKit allows public, file and version; the rest name things about a secret (its
# URL, where it lives) or public key material (GPG_KEY in the official images).
_SECRET_ALLOWED = re.compile(
    r"(?:_|^)(?:public|file|version|gpg|pgp|fingerprint|url|path|dir|name)(?:_|$)",
    re.IGNORECASE,
)


def looks_secret(name: str) -> bool:
    """Whether an ARG/ENV name looks like it holds a secret (BuildKit's heuristic)."""
    return bool(_SECRET_WORDS.search(name)) and not _SECRET_ALLOWED.search(name)


@rule(
    "DKL403",
    "secret-in-build-argument",
    Category.SECURITY,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="An ARG or ENV name looks like it holds a secret.",
    docs=RuleDocs(
        what="ARG or ENV names containing a word such as PASSWORD, PASSWD, PWORD, SECRET, "
        "TOKEN, KEY, APIKEY, AUTH, CREDENTIAL or CREDENTIALS (delimited by `_` or the ends of "
        "the name), unless the name also says PUBLIC, FILE or VERSION. That is BuildKit's "
        "SecretsUsedInArgOrEnv heuristic (`# check=skip=SecretsUsedInArgOrEnv` applies), "
        "with a few more words that describe a secret rather than hold it or name public "
        "key material: GPG, PGP, FINGERPRINT, URL, PATH, DIR, NAME (`GPG_KEY` in the "
        "official images is a public key fingerprint).",
        why="ENV values are stored in the image configuration and visible to anyone who can "
        "pull the image (`docker inspect`). Build arguments end up in the image history of "
        "every RUN that uses them (`docker history`) and in build caches and provenance "
        "attestations. Secret mounts give the value to one RUN and leave no trace in the image.",
        example='ARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc '
        "&& npm ci",
        instead="RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n"
        '    echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci && rm .npmrc',
        fix_safety="No automatic fix: the secret must be passed differently at build time "
        "(`docker build --secret id=npm_token,env=NPM_TOKEN`).",
        references=(
            BUILD_CHECKS + "secrets-used-in-arg-or-env/",
            "https://docs.docker.com/build/building/secrets/",
            HADOLINT_WIKI + "DL3064",
        ),
    ),
    hadolint=("DL3064",),
    buildkit=("SecretsUsedInArgOrEnv",),
)
def secret_in_build_argument(ctx: RuleContext) -> Iterator[Hit]:
    for ins, pair in arg_env_pairs(ctx):
        name = pair.key.text
        if not looks_secret(name):
            continue
        where = (
            "the image configuration (docker inspect)"
            if ins.name == "ENV"
            else "the image history of every RUN that uses it (docker history)"
        )
        yield Hit(
            pair.key.span,
            f"{ins.name} {name} looks like a secret; its value is recorded in {where}. "
            "Pass it with RUN --mount=type=secret instead.",
        )
