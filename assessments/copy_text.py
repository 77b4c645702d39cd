"""Placeholders in report-copy texts: which text may use which, and a filler that never fails.

A placeholder is a plain name in braces, `{dimension}`, filled with a short value (a capacity's
name, a count). Publishing refuses anything else (assessments/checks.py): a format spec or a
conversion (`{answered:>2000000}`, `{dimension!r}`), attribute or index access (`{x.y}`,
`{x[0]}`), a positional field, a name the text is not given, and an unmatched brace. A copy
published before those checks existed may still hold such a text: `fill` then shows it as
written, unfilled, and logs it, so a report never fails and never grows beyond its texts.
"""

import copy
import json
import logging
from collections.abc import Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from string import Formatter

logger = logging.getLogger(__name__)

# Dotted paths of the texts that take placeholders (fnmatch patterns), and the names each is
# given by the report (profiles/report.py). Every other text takes none.
PLACEHOLDERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("not_scored", frozenset({"dimension", "answered", "needed", "total"})),
    ("asi_note.*", frozenset({"dimension"})),
    ("patterns.*.meaning", frozenset({"dimension"})),
    ("report.meta", frozenset({"date", "instrument", "mode"})),
    ("report.recalculated", frozenset({"date"})),
    ("report.pdf_title", frozenset({"date"})),
    ("report.pdf_footer", frozenset({"url"})),
    ("card.level", frozenset({"level"})),
    ("card.intact_facet", frozenset({"part", "score"})),
    ("card.intact_context", frozenset({"name", "where", "score"})),
    ("card.intact_strongest", frozenset({"name", "score"})),
    ("card.intact_fallback", frozenset({"part", "score"})),
    ("card.focus_because", frozenset({"title"})),
    ("card.focus_low", frozenset({"name"})),
    ("chart.legend_hatch", frozenset({"status"})),
    ("comparison.days_apart_*", frozenset({"days"})),
    ("comparison.params_note", frozenset({"params"})),
    ("changes.intro", frozenset({"date"})),
    ("history.chart_title", frozenset({"name"})),
    ("history.numbers", frozenset({"name"})),
    ("history.table_caption", frozenset({"name"})),
    # Organisations (practice/organisation_views.py, practice/mail.py)
    ("organisations.removed_message", frozenset({"practitioner", "organisation"})),
    ("organisations.invite_sent", frozenset({"email"})),
    ("organisations.pending_until", frozenset({"date"})),
    ("organisations.email_body", frozenset({"organisation", "url", "date"})),
    ("organisations.display_name_help", frozenset({"organisation"})),
    ("organisations.join_*", frozenset({"organisation"})),
    ("organisations.joined", frozenset({"organisation"})),
    ("organisations.invitation_from", frozenset({"organisation"})),
    ("organisations.email_subject", frozenset({"organisation"})),
    # The pre-session brief (copy-3, practice/brief.py).
    ("brief.pdf_title", frozenset({"date"})),
    ("brief.name_missing", frozenset({"date"})),
    ("brief.meta", frozenset({"date", "mode", "quality"})),
    ("brief.quality_notes.not_scored", frozenset({"dimension", "answered", "total", "needed"})),
    ("brief.split.gasi_*", frozenset({"gasi"})),
    ("brief.split.names_joined", frozenset({"names", "last"})),
    ("brief.split.pattern_title", frozenset({"title", "names"})),
    ("brief.change.intro", frozenset({"date"})),
)
# The texts copy-1 reports showed from code and templates before they moved into the copy
# (copy-2 holds them as its own texts). A copy that lacks one of these keys is read with the
# released wording filled in, so a copy-1 report renders exactly as it did when it was made.
IN_CODE_FOR_COPY_1 = Path(__file__).resolve().parent / "data" / "report_copy_1_in_code.json"
_in_code_for_copy_1 = json.loads(IN_CODE_FOR_COPY_1.read_text(encoding="utf-8"))
Field = tuple[str, str | None, str | None, str | None]  # literal, name, spec, conversion


def allowed_placeholders(path: str) -> frozenset[str]:
    """The names the text at `path` (e.g. "patterns.CTX-CLOSE.meaning") may use."""
    return next(
        (names for pattern, names in PLACEHOLDERS if fnmatchcase(path, pattern)), frozenset()
    )


def placeholder_problems(text: str, path: str) -> list[str]:
    """Why `text` cannot be published at `path`, in plain words (empty when it can)."""
    try:
        fields = [field for field in Formatter().parse(text) if field[1] is not None]
    except ValueError:
        return [f"“{path}” has an unmatched {{ or }}; write {{{{ or }}}} for a plain brace."]
    allowed = allowed_placeholders(path)
    return [problem for field in fields if (problem := _field_problem(field, path, allowed))]


def _field_problem(field: Field, path: str, allowed: frozenset[str]) -> str:
    _, name, spec, conversion = field
    if spec or conversion or not (name or "").isidentifier():
        written = "{" + (name or "") + (f"!{conversion}" if conversion else "")
        written += (f":{spec}" if spec else "") + "}"
        return (
            f"“{path}” uses {written}: a placeholder is a plain name in braces, such as "
            "{dimension}, with no format, conversion, dot or index."
        )
    if name in allowed:
        return ""
    if not allowed:
        return f"“{path}” takes no placeholders, so {{{name}}} would be shown as typed."
    return f"“{path}” uses an unknown placeholder {{{name}}}."


def fill(text: str, values: Mapping[str, object]) -> str:
    """`text` with each plain `{name}` replaced by `values[name]`, `{{`/`}}` as braces.

    Never raises and never formats: a text with any other field, or a name not in `values`,
    comes back as written (logged), so no copy text can fail a report or blow up its size.
    """
    try:
        fields = list(Formatter().parse(text))
    except ValueError:
        return _unfilled(text)
    parts = []
    for literal, name, spec, conversion in fields:
        parts.append(literal)
        if name is None:
            continue
        if spec or conversion or not name.isidentifier() or name not in values:
            return _unfilled(text)
        parts.append(str(values[name]))
    return "".join(parts)


def _unfilled(text: str) -> str:
    logger.warning("report copy text shown without filling its placeholders: %r", text[:200])
    return text


def with_released_wording(texts: Mapping) -> dict:
    """`texts` with every key copy-1 reports took from code added where it is missing (a copy
    made before copy-2); keys the copy holds are kept as they are."""
    return _merged(_in_code_for_copy_1, texts)


def _merged(defaults: Mapping, texts: Mapping) -> dict:
    merged = copy.deepcopy(dict(texts))
    for key, value in defaults.items():
        if key not in merged:
            merged[key] = copy.deepcopy(value)
        elif isinstance(value, Mapping) and isinstance(merged[key], Mapping):
            merged[key] = _merged(value, merged[key])
    return merged


def placeholder_names(text: str) -> frozenset[str] | None:
    """The names in braces `text` uses (`{dimension}` → "dimension"), or None when its braces
    do not parse. A translated text must use exactly the names of its English text."""
    try:
        return frozenset(name for _, name, _, _ in Formatter().parse(text) if name is not None)
    except ValueError:
        return None
