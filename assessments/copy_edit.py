"""Report copy as a list of texts, for the copy editor and its publish diff (issue 19 line 3).

Pure functions over a copy's JSON tree, walked generically: any nested group a later copy adds
(copy-3's brief, openers, moments, practice, …) is listed and edited like the others. A text is
named by its path, the tuple of keys down the tree; it is shown dotted ("suggestions.BON.C.why";
keys may hold dots, so the tuple, never the dotted form, identifies a text), and a form field
carries it as JSON (`field_name`).
"""

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from assessments.copy_text import allowed_placeholders, placeholder_problems

TextPath = tuple[str, ...]
FIELD_PREFIX = "text:"

# Where a text appears, by dotted path (fnmatch, first match wins); admin-facing, plain words.
WHERE: tuple[tuple[str, str], ...] = (
    ("version", "The copy version's own name; people never see it."),
    ("disclaimer", "Report and PDF: under the title, that relcap is a self-reflection tool."),
    ("intro", "Report and PDF: the opening paragraph."),
    ("headline.*", "Report: the strengths section at the top."),
    (
        "gasi.*",
        "Report: one sentence in the strengths section when most capacities lean one "
        "way (work or close relationships).",
    ),
    ("bands.*", "Report cards, the chart and My profiles: the name of a status or level."),
    ("dimensions.*.name", "Everywhere a capacity is named: cards, chart, focus, comparison."),
    ("dimensions.*.short_name", "Report card: the short name beside the capacity's name."),
    ("dimensions.*.what_it_is", "Report card: what the capacity is."),
    ("dimensions.*.facets.*", "Report card: the name of one of the capacity's two facets."),
    ("dimensions.*.level_text.*", "Report card: what the capacity's level means."),
    ("contexts.*", "Report cards and focus: the name of a context of life."),
    ("modes.*", "Report and My profiles: which contexts the questionnaire asked about."),
    (
        "asi_note.*",
        "Report card: the note when a capacity differs a lot between work and close relationships.",
    ),
    ("patterns.*", "Report card: the title and meaning of an uneven pattern; focus intro."),
    ("regulation_containment_note", "Report card for regulation, when bonding is held back."),
    ("not_scored", "Report card of a capacity with too few answers."),
    ("suggestions.*", "Report: the practice suggested for a focus (main or other growth edge)."),
    ("focus.*", "Report: the growth-edge section."),
    ("growth_reminder", "Report: the closing section."),
    (
        "company_note",
        "Report: the closing section, when four or more capacities are less developed so far.",
    ),
    ("support.*", "The support page before a result, and the support panel of a report."),
    ("quality.*", "Report: the notice about how the questionnaire was answered."),
    ("report.*", "Report and PDF: headings, the submission line, links."),
    ("card.*", "Report card: labels and the line on what is already working."),
    ("chart.*", "Report: the chart of the six capacities, its legend and table."),
    ("comparison.*", "The comparison of two profiles."),
    ("change.*", "The comparison of two profiles: the change label of a capacity."),
    ("changes.*", "Report of a retake: what changed since the previous profile."),
    ("history.*", "My profiles: the capacities over time."),
    # copy-3's groups: the practice loop (practice/brief.py, practice/organisation_views.py,
    # practice/mail.py, moments/).
    ("brief.pdf_title", "Pre-session brief (practitioner): the title of its PDF."),
    ("brief.name_missing", "Pre-session brief: the header, when the person gave no name."),
    ("brief.meta", "Pre-session brief: the header line with the date, contexts and quality."),
    ("brief.quality_level.*", "Pre-session brief: the answer-quality word in its header."),
    ("brief.level.*", "Pre-session brief: how much of the profile the person chose to share."),
    ("brief.checkin.*", "Pre-session brief: the check-in, when the person shares it."),
    (
        "brief.quality_notes.*",
        "Pre-session brief: the notes on how the questionnaire was answered.",
    ),
    ("brief.strengths.*", "Pre-session brief: the strengths section."),
    ("brief.split.*", "Pre-session brief: the section on work and close relationships."),
    ("brief.capacities.*", "Pre-session brief: the table of the six capacities."),
    ("brief.focus.*", "Pre-session brief: the growth-edge section and its conversation openers."),
    ("brief.change.*", "Pre-session brief: what changed since the previous shared profile."),
    ("brief.disclaimer", "Pre-session brief and its PDF: that relcap is a self-reflection tool."),
    ("brief.*", "Pre-session brief (practitioner, page and PDF): its title and purpose line."),
    (
        "openers.*",
        "Pre-session brief: the three conversation openers for a growth edge (a facet, a "
        "capacity in one context, or keeping what works).",
    ),
    (
        "moments.page.*",
        "Live moments: the person's practice page (and its line on the account page).",
    ),
    ("moments.consent.*", "Live moments: the consent page before the first moment is logged."),
    ("moments.form.*", "Live moments: the form for logging a moment."),
    ("moments.chips.*", "Live moments: the choices offered on the form (what, where, who…)."),
    ("moments.follow_up.*", "Live moments: the question the next day, whether it was repaired."),
    ("moments.delete.*", "Live moments: deleting one moment or all of them."),
    ("moments.codebook.*", "Live moments: the code book in the person's download of them."),
    ("moments.*", "Live moments: the person's pages for logging moments."),
    ("moments_views.share_*", "Sharing page: whether to share live moments with a practitioner."),
    ("moments_views.shared_*", "Client page (practitioner): the live moments a person shares."),
    *(
        (f"moments_views.column_{name}", "Client page (practitioner): a column of shared moments.")
        for name in ("when", "context", "trigger", "signal", "response", "follow_up")
    ),
    ("moments_views.follow_up_open", "Client page (practitioner): a moment not yet followed up."),
    (
        "moments_views.*",
        "Live moments: the person's view of their moments over 4 or 12 weeks (and the same "
        "summary on a practitioner's client page when shared).",
    ),
    ("moments_reminders.email_*", "Live moments: the reminder e-mail."),
    ("moments_reminders.unsubscribe*", "Live moments: the page a reminder's stop link opens."),
    ("moments_reminders.*", "Live moments: the page where a person chooses reminders."),
    ("organisations.email_*", "Organisations: the e-mail inviting a practitioner to join."),
    (
        "organisations.join_*",
        "Organisations: the page where an invited practitioner answers the invitation.",
    ),
    ("organisations.joined", "Organisations: the message once a practitioner has joined."),
    ("organisations.invitation_from", "Invitation e-mails of a member: the organisation's line."),
    ("organisations.account_line", "Account page: the line under an organisation admin's link."),
    ("organisations.account_link", "Organisations: a closed invitation's link to the account."),
    ("organisations.*", "Organisations: the organisation admin's pages."),
)


@dataclass(frozen=True)
class Text:
    """One text of a copy: its path, value, where it appears and the placeholders it takes."""

    path: TextPath
    value: str

    @property
    def dotted(self) -> str:
        return dotted(self.path)

    @property
    def group(self) -> str:
        return self.path[0]

    @property
    def field(self) -> str:
        return field_name(self.path)

    @property
    def where(self) -> str:
        return where(self.path)

    @property
    def placeholders(self) -> list[str]:
        return sorted(allowed_placeholders(self.dotted))


def dotted(path: TextPath) -> str:
    return ".".join(path)


def field_name(path: TextPath) -> str:
    return FIELD_PREFIX + json.dumps(list(path), ensure_ascii=False)


def path_of(name: str) -> TextPath | None:
    """The path a form field name carries, or None when it is not a text field."""
    if not name.startswith(FIELD_PREFIX):
        return None
    try:
        keys = json.loads(name.removeprefix(FIELD_PREFIX))
    except ValueError:
        return None
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        return None
    return tuple(keys)


def where(path: TextPath) -> str:
    name = dotted(path)
    for pattern, description in WHERE:
        if fnmatchcase(name, pattern):
            return description
    return f"Texts of the “{path[0]}” group, read by the feature that added it."


def texts_of(tree: object, prefix: TextPath = ()) -> Iterator[Text]:
    """Every text of a copy, in the order the copy holds them (depth first)."""
    if isinstance(tree, Mapping):
        for key, value in tree.items():
            yield from texts_of(value, (*prefix, str(key)))
    elif prefix:
        yield Text(prefix, tree if isinstance(tree, str) else json.dumps(tree))


def flat(tree: object) -> dict[TextPath, str]:
    return {t.path: t.value for t in texts_of(tree)}


def groups(tree: Mapping) -> list[str]:
    return list(tree)


def text_at(tree: object, path: TextPath) -> str | None:
    """The text at `path`, or None when there is no text there (a group, or nothing)."""
    node = tree
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, str) else None


def with_changes(tree: Mapping, changes: Mapping[TextPath, str]) -> dict:
    """A deep copy of `tree` with each path's text replaced (every path must hold a text)."""
    changed = copy.deepcopy(dict(tree))
    for path, value in changes.items():
        node = changed
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return changed


def text_problems(path: TextPath, text: str) -> list[str]:
    """Why `text` cannot be saved at `path`: empty, or a placeholder the report cannot fill
    (the checks publishing applies, assessments.checks.copy_problems)."""
    if not text.strip():
        return [f"“{dotted(path)}” must be a non-empty text."]
    return placeholder_problems(text, dotted(path))


@dataclass(frozen=True)
class CopyDiff:
    """Every changed, added and removed text of `after` against `before`, in copy order."""

    changed: list[tuple[str, str, str]]  # (dotted path, before, after)
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    unchanged: int

    @property
    def count(self) -> int:
        return len(self.changed) + len(self.added) + len(self.removed)


def diff(before: object, after: object) -> CopyDiff:
    """The texts of `after` against `before`; the copy's own "version" name is left out."""
    old, new = flat(before), flat(after)
    old.pop(("version",), None)
    new.pop(("version",), None)
    changed = [(dotted(p), old[p], v) for p, v in new.items() if p in old and old[p] != v]
    added = [(dotted(p), v) for p, v in new.items() if p not in old]
    removed = [(dotted(p), v) for p, v in old.items() if p not in new]
    unchanged = sum(1 for p, v in new.items() if old.get(p) == v)
    return CopyDiff(changed, added, removed, unchanged)
