"""DKL501 malformed-from: A FROM line is not `FROM image` or `FROM image AS name`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.correctness.spelling import same_case
from dockerls.rules.doc_links import DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Severity, Span

_STAGE_NAME = re.compile(r"[a-z][a-z0-9-_.]*")


@rule(
    "DKL501",
    "malformed-from",
    Category.CORRECTNESS,
    Severity.ERROR,
    scope=Scope.STAGE,
    summary="A FROM line is not `FROM image` or `FROM image AS name`.",
    docs=RuleDocs(
        what="FROM with two arguments or more than three, a second word other than AS, or "
        "a stage name that does not start with a letter or contains characters other than "
        "letters, digits, `-`, `_` and `.`.",
        why="BuildKit stops with 'FROM requires either one or three arguments' or 'invalid "
        "name for build stage' before building anything.",
        example="FROM golang:1.22 AD build\nFROM node:20 AS 2nd-stage",
        instead="FROM golang:1.22 AS build\nFROM node:20 AS second-stage",
        fix_safety="When the second of three words is not AS, the fix replaces it with AS "
        "(in the case FROM is written in). Removing extra words is offered but not "
        "preferred: it changes what the line says.",
        references=(
            DOCKERFILE_REFERENCE + "#from",
            DOCKERFILE_REFERENCE + "#understand-how-arg-and-from-interact",
        ),
    ),
)
def malformed_from(ctx: RuleContext) -> Iterator[Hit]:
    for stage in ctx.stages:
        ins = stage.from_
        args = ins.args
        if not args:
            continue  # DKL002
        as_word = same_case("AS", ins.keyword.text)
        if len(args) == 2:
            if args[1].text.upper() == "AS":
                yield Hit(args[1].span, "AS must be followed by a stage name.")
            else:
                insert = TextEdit(Span(args[1].span.start, args[1].span.start), f"{as_word} ")
                yield Hit(
                    args[1].span,
                    f"FROM takes an image, optionally followed by AS and a stage name; "
                    f"'{args[1].text}' has no AS before it.",
                    (
                        Fix(
                            f"Insert {as_word} (make '{args[1].text}' the stage name)",
                            (insert,),
                            safe=False,
                        ),
                    ),
                )
        elif len(args) >= 3 and args[1].text.upper() != "AS":
            yield Hit(
                args[1].span,
                f"The second word of FROM must be AS, not '{args[1].text}'.",
                (Fix(f"Replace with {as_word}", (TextEdit(args[1].span, as_word),)),)
                if len(args) == 3
                else (),
            )
        elif len(args) > 3:
            extra = Span(args[3].span.start, args[-1].span.end)
            cut = Span(args[2].span.end, args[-1].span.end)
            yield Hit(
                extra,
                "FROM takes nothing after the stage name.",
                (Fix("Remove the extra words", (TextEdit(cut, ""),), safe=False),),
            )
        name = stage.name
        if name is not None and not _STAGE_NAME.fullmatch(name.text.lower()):
            yield Hit(
                name.span,
                f"Invalid stage name '{name.text}': a stage name starts with a letter and "
                "holds only letters, digits, '-', '_' and '.'.",
            )
