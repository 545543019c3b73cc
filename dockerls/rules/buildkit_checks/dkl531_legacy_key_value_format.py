"""DKL531 legacy-key-value-format: ENV or LABEL uses the legacy `KEY value` form."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix, TextEdit
from dockerls.rules.doc_links import BUILD_CHECKS, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.syntax import Instruction, Severity, Span, Token
from dockerls.syntax.lexer import split_words


def _key_value_fix(ins: Instruction, key: Token, raw: Token, escape: str) -> Fix | None:
    if key.span.start.line != raw.span.end.line:
        return None
    words = split_words(raw.text, escape)
    if len(words) == 1:
        value = raw.text
    elif not any(c in raw.text for c in "\"'") and escape not in raw.text:
        value = f'"{raw.text}"'
    else:
        return None
    edit = TextEdit(Span(key.span.start, raw.span.end), f"{key.text}={value}")
    return Fix(f"Write {ins.name} {key.text}=…", (edit,))


@rule(
    "DKL531",
    "legacy-key-value-format",
    Category.STYLE,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="ENV or LABEL uses the legacy `KEY value` form.",
    docs=RuleDocs(
        what="`ENV KEY value` and `LABEL key value`, separated by white space instead of `=`.",
        why="The legacy form takes the whole rest of the line as the value, so it can only "
        "set one variable and quotes or trailing words end up in the value; it is "
        "deprecated and BuildKit warns.",
        example="ENV NODE_ENV production\nENV JAVA_OPTS -Xms256m -Xmx1g",
        instead='ENV NODE_ENV=production\nENV JAVA_OPTS="-Xms256m -Xmx1g"',
        fix_safety="The fix writes `KEY=value`, quoting a value of several words in double "
        "quotes; variables in it still expand. Values that mix quotes or escapes with "
        "several words, and values continued over lines, get no fix.",
        references=(BUILD_CHECKS + "legacy-key-value-format/", DOCKERFILE_REFERENCE + "#env"),
    ),
    buildkit=("LegacyKeyValueFormat",),
)
def legacy_key_value_format(ctx: RuleContext) -> Iterator[Hit]:
    escape = ctx.document.escape
    for ins in ctx.checked():
        if ins.name not in ("ENV", "LABEL"):
            continue
        for pair in ins.pairs:
            if not pair.legacy or pair.raw_value is None:
                continue
            fix = _key_value_fix(ins, pair.key, pair.raw_value, escape)
            yield Hit(
                pair.key.span,
                f'"{ins.name} {pair.key.text}=value" should be used instead of the legacy '
                f'"{ins.name} {pair.key.text} value" form.',
                (fix,) if fix is not None else (),
            )
