"""DKL537 expose-host-mapping: EXPOSE holds an IP address or a host port mapping."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.correctness.expose_ports import expose_problem, expose_words, split_port
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity


@rule(
    "DKL537",
    "expose-host-mapping",
    Category.CORRECTNESS,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="EXPOSE holds an IP address or a host port mapping.",
    docs=RuleDocs(
        what="`EXPOSE 8080:80` or `EXPOSE 127.0.0.1:8080:80`.",
        why="EXPOSE only documents the container's port; publishing (and choosing a host "
        "port or address) happens at `docker run -p`. The host part is ignored today, and "
        "BuildKit says it will become an error.",
        example="EXPOSE 8080:80",
        instead="EXPOSE 80\n# docker run -p 8080:80 …",
        fix_safety="The fix keeps only the container port (and protocol); the image is the "
        "same, since the host part was ignored.",
        references=(BUILD_CHECKS + "expose-invalid-format/", DOCKERFILE_REFERENCE + "#expose"),
    ),
    buildkit=("ExposeInvalidFormat",),
)
def expose_host_mapping(ctx: RuleContext) -> Iterator[Hit]:
    for _, token, word in expose_words(ctx):
        spec = split_port(word)
        if (not spec.ip and not spec.host) or expose_problem(word):
            continue  # no mapping, or invalid (DKL508)
        kept = spec.container + (f"/{spec.proto}" if spec.proto is not None else "")
        fixes: tuple[Fix, ...] = ()
        if token.text == word:
            fixes = (Fix(f"Keep only {kept}", (TextEdit(token.span, kept),)),)
        yield Hit(
            token.span,
            f"EXPOSE {word} maps a host port or address, which EXPOSE ignores: expose "
            f"{kept} and publish with docker run -p.",
            fixes,
        )
