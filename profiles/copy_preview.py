"""Report copy rendered against the sample profiles (issue 19 lines 3-4), for the admin.

A report is built from a sample's snapshot data and a set of texts by the same code and the
same templates as a person's report (profiles.report, partials/_report_body.html), so a preview
is what a person with those answers would read. To find where a text shows, the text is
rendered between two markers and the innermost report section (<section> or <article>: a card,
the focus, the closing) that holds the marker is cut out; the markers become <mark> in text
and vanish inside tags and the SVG chart. Texts of pages above `profiles` (the brief, the
live-moments pages, organisations) are rendered the same way by the renderer their app
registers in profiles.copy_previews, and shown inert. Nothing here writes.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from assessments.copy_edit import TextPath, dotted, flat, with_changes
from assessments.copy_text import allowed_placeholders, fill, with_released_wording
from assessments.locales import SOURCE_LOCALE
from profiles import copy_previews
from profiles.copy_samples import Sample
from profiles.report import build_report

OPEN, CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧ around the text being previewed
TRACE = re.compile(OPEN + r"(\d+)" + CLOSE)
SECTION_TAG = re.compile(r"<(/?)(section|article)\b[^>]*>")
# A registered page part (profiles.copy_previews) is cut at its fieldsets too: a form's group.
PART_TAG = re.compile(r"<(/?)(section|article|fieldset)\b[^>]*>")
TAG = re.compile(r"<[^>]*>")
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
# Example values for a text's placeholders when it is not shown on a sample report.
EXAMPLES = {
    "dimension": "regulation",
    "answered": 8,
    "needed": 9,
    "total": 12,
    "date": "2 November 2026",
    "instrument": "1.0",
    "mode": "Close relationships and work",
    "url": "https://relcap.example/support/",
    "level": "Developing",
    "part": "Felt resonance",
    "score": 63,
    "name": "Repair",
    "where": "at work",
    "title": "Steady under pressure",
    "status": "Uneven — worth recalibrating",
    "days": 42,
    "params": "P0",
    # copy-3's brief and organisations (practice/brief.py, practice/organisation_views.py)
    "quality": "no concerns",
    "gasi": "+12",
    "names": "repair, trust",
    "last": "bonding",
    "practitioner": "Sam Rivera",
    "organisation": "Harbour Counselling",
    "email": "sam@example.org",
}


@dataclass(frozen=True)
class SampleProfile:
    """What the report template reads of a profile and its snapshot, for a sample."""

    submitted_at: datetime
    created_at: datetime
    user_id: None = None
    locale: str = "en"  # the editor previews the copy's own (English) texts


@dataclass(frozen=True)
class Preview:
    html: str  # the report section showing the text, marked; or the text filled with examples
    on_report: bool  # False: the text is not on this sample's report page (or registered page)
    page: str = ""  # the page a registered renderer shows it on ("" for the report)


class CannotRender(Exception):
    """The texts lack something a report needs (a draft missing a text copy-3 has, or a group
    that is not a group); publishing refuses such a copy, and the editor says so."""


def render_body(sample: Sample, texts: dict) -> str:
    """The report body a person with the sample's answers would see, with `texts`; raises
    CannotRender when the texts lack something the report reads."""
    try:
        return _render_body(sample, texts)
    except (KeyError, TypeError, AttributeError, IndexError) as missing:
        raise CannotRender(f"a report cannot be rendered with these texts ({missing!r})") from None


def _render_body(sample: Sample, texts: dict) -> str:
    copy = with_released_wording(texts)
    when = SampleProfile(sample.submitted_at, sample.submitted_at)
    context = {
        "report": build_report(sample.data, copy, locale=SOURCE_LOCALE),
        "profile": when,
        "snapshot": when,
        "changes": None,
        "support_url": reverse("support"),
    }
    return render_to_string("admin/profiles/_report_body_plain.html", context)


def preview(sample: Sample, texts: dict, path: TextPath, text: str) -> Preview:
    """The part of the sample's report where the text at `path` shows, with `text` in place
    (marked); when the sample's report does not show it, the text with example values."""
    traced = with_changes(texts, {path: f"{OPEN}0{CLOSE}{text}{OPEN}0{CLOSE}"})
    entry = copy_previews.entry_for(path)
    if entry is not None:
        return _registered_preview(entry, sample, traced, path, text)
    try:
        body = render_body(sample, traced)
    except CannotRender:
        return Preview(example_text(path, text), on_report=False)
    start = body.find(f"{OPEN}0{CLOSE}")
    if start < 0:
        return Preview(example_text(path, text), on_report=False)
    return Preview(_marked(_section_around(body, start)), on_report=True)


RENDER_FAILURES = (KeyError, TypeError, AttributeError, IndexError, ValueError)
FORM_TAG = re.compile(r"<(/?)form\b[^>]*>")
HIDDEN_INPUT = re.compile(r'<input\b[^>]*\btype="hidden"[^>]*>')
NAME_ATTR = re.compile(r'\sname="[^"]*"')
CONTROL = re.compile(r"<(input|select|textarea|button)\b")
ID_ATTRS = re.compile(
    r'\b(id|for|aria-labelledby|aria-describedby|aria-controls|headers)="([^"]*)"'
)
HASH_LINK = re.compile(r'href="#([^"]+)"')


def render_registered(entry, sample: Sample, texts: dict) -> str | None:
    """A registered page part with `texts` (profiles.copy_previews), None when it cannot be
    rendered with them."""
    try:
        return entry.renderer(texts, sample)
    except RENDER_FAILURES:
        return None


def _registered_preview(entry, sample: Sample, traced: dict, path: TextPath, text: str) -> Preview:
    """The part of a registered page (the brief, a live-moments page, an organisation page)
    holding the text, marked and made inert; else the text with example values."""
    body = render_registered(entry, sample, traced)
    start = -1 if body is None else body.find(f"{OPEN}0{CLOSE}")
    if start < 0:
        return Preview(example_text(path, text), on_report=False)
    html = _marked(_section_around(body, start, PART_TAG))
    if "copy-preview-mark" not in html:  # only inside attributes: nothing a person reads there
        return Preview(example_text(path, text), on_report=False)
    prefix = "pv" + hashlib.sha1(dotted(path).encode()).hexdigest()[:8] + "-"
    return Preview(inert(html, prefix), on_report=True, page=entry.label)


def inert(html: str, prefix: str) -> str:
    """A page part as a picture of itself inside the editor's form: its forms become plain
    blocks, its hidden inputs go, its controls are disabled and nameless (nothing of it is
    ever sent with the editor's form) and its ids take `prefix`, so two open previews never
    share an id."""
    html = FORM_TAG.sub(
        lambda m: "</div>" if m.group(1) else '<div class="copy-preview-form">', html
    )
    html = NAME_ATTR.sub("", HIDDEN_INPUT.sub("", html))
    html = CONTROL.sub(lambda m: f"<{m.group(1)} disabled", html)

    def ids(match: re.Match) -> str:
        names = " ".join(prefix + name for name in match.group(2).split())
        return f'{match.group(1)}="{names}"'

    html = ID_ATTRS.sub(ids, html)
    return HASH_LINK.sub(lambda m: f'href="#{prefix}{m.group(1)}"', html)


def example_text(path: TextPath, text: str) -> str:
    names = allowed_placeholders(dotted(path))
    values = {name: EXAMPLES.get(name, f"[{name}]") for name in names}
    return f'<p class="copy-example">{escape(fill(text, values))}</p>'


def appearances(samples: tuple[Sample, ...], texts: dict) -> dict[TextPath, list[str]]:
    """For every text, the keys of the samples whose report shows it (one render per sample:
    each text is prefixed with its own numbered marker)."""
    paths = list(flat(texts))
    numbered = with_changes(
        texts, {p: f"{OPEN}{n}{CLOSE}{v}" for n, (p, v) in enumerate(flat(texts).items())}
    )
    shown: dict[TextPath, list[str]] = {p: [] for p in paths}
    for sample in samples:
        try:
            body = render_body(sample, numbered)
        except CannotRender:
            continue  # this copy cannot render a report yet; its texts show on none
        for number in sorted({int(m) for m in TRACE.findall(body)}):
            shown[paths[number]].append(sample.key)
    for entry in copy_previews.registered():
        # Texts a registered renderer shows: the samples whose page part shows them.
        numbers = {n for n, p in enumerate(paths) if copy_previews.entry_for(p) == entry}
        for sample in samples if entry.per_sample else samples[:1]:
            body = render_registered(entry, sample, numbered)
            if body is None:
                continue
            keys = [sample.key] if entry.per_sample else [s.key for s in samples]
            for number in sorted({int(m) for m in TRACE.findall(body)} & numbers):
                shown[paths[number]].extend(keys)
    return shown


_appearance_cache: dict[tuple, dict[TextPath, list[str]]] = {}


def clear_cache() -> None:
    _appearance_cache.clear()


def cached_appearances(
    instrument_id: int, samples: tuple[Sample, ...], texts: dict
) -> dict[TextPath, list[str]]:
    """`appearances`, kept per process for an instrument and a set of text paths (where a
    text shows depends on its path and the samples' answers, hardly on its wording)."""
    key = (instrument_id, tuple(flat(texts)))
    if key not in _appearance_cache:
        _appearance_cache.clear()  # one set at a time: drafts of other shapes are rare
        _appearance_cache[key] = appearances(samples, texts)
    return _appearance_cache[key]


def _section_around(body: str, position: int, tags: re.Pattern = SECTION_TAG) -> str:
    """The innermost <section> or <article> holding `position`; else the top of the report
    (title, submission line, notices, disclaimer and intro, before the first section)."""
    stack: list[int] = []
    for tag in tags.finditer(body):
        if not tag.group(1):
            stack.append(tag.start())
        elif stack:
            begin = stack.pop()
            if begin < position < tag.end():
                return body[begin : tag.end()]
    first = tags.search(body)
    return body[: first.start()] if first and first.start() > position else body


def _marked(html: str) -> str:
    """Markers as <mark> in text; removed inside tags and inside the SVG chart."""
    marker = f"{OPEN}0{CLOSE}"

    def in_tags(match: re.Match) -> str:
        return match.group(0).replace(marker, "")

    html = SVG.sub(in_tags, TAG.sub(in_tags, html))
    parts = html.split(marker)
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        out.append('<mark class="copy-preview-mark">' if index % 2 == 0 else "</mark>")
        out.append(part)
    return "".join(out)
