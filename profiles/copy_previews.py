"""Where the copy editor previews texts that are not on a report (issue 19 line 3).

`profiles` sits below `practice` and `moments` in the import layers, so the copy editor cannot
build a pre-session brief or a live-moments page itself. Instead those apps register, in their
AppConfig.ready, a renderer for the copy groups they show (dependency inversion, like
moments.registry's page parts):

    copy_previews.register(("brief", "openers"), brief_preview)

A renderer takes (texts, sample): the whole copy with the edited, unsaved wording in place (the
text being previewed is wrapped in markers by profiles.copy_preview) and a scored sample
(profiles.copy_samples.Sample, its snapshot data in `sample.data`). It returns the HTML of the
page, or the part of it, in which those texts appear, exactly as its own templates render it
for a person, built in memory from the sample: it must not read or write the database (the
preview's query count is held constant by tests/profiles/test_copy_editor.py). It may raise
KeyError, TypeError, AttributeError or IndexError when the texts lack something it needs; the
editor then shows the text with example values, as for any text no renderer shows.

A prefix is a group name or a dotted path into a group ("moments.form"); the longest prefix
that matches a text wins.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode

Renderer = Callable[[dict, Any], str]


@dataclass(frozen=True)
class Registered:
    prefixes: tuple[str, ...]
    renderer: Renderer
    label: str  # what the preview shows, in the admin's words ("Pre-session brief")
    per_sample: bool  # False: the page does not depend on the sample (rendered once)


_registry: list[Registered] = []


def register(
    prefixes: tuple[str, ...], renderer: Renderer, *, label: str = "", per_sample: bool = True
) -> None:
    """Register `renderer` for the texts under `prefixes` (idempotent: ready() may run twice)."""
    entry = Registered(tuple(prefixes), renderer, label, per_sample)
    if entry not in _registry:
        _registry.append(entry)


def registered() -> tuple[Registered, ...]:
    return tuple(_registry)


def _matches(prefix: str, path: tuple[str, ...]) -> bool:
    parts = tuple(prefix.split("."))
    return path[: len(parts)] == parts


def entry_for(path: tuple[str, ...]) -> Registered | None:
    """The registration whose longest prefix matches the text at `path`, if any."""
    best, best_length = None, 0
    for entry in _registry:
        for prefix in entry.prefixes:
            length = len(prefix.split("."))
            if length > best_length and _matches(prefix, path):
                best, best_length = entry, length
    return best


def render_block(template_name: str, context: dict, block: str = "content") -> str:
    """One block of a page template (by default its `content`) rendered without the site's
    layout, request or context processors: the page part as the page shows it, for a preview."""
    template = get_template(template_name).template
    for node in template.nodelist.get_nodes_by_type(BlockNode):
        if node.name == block:
            # No request: a form's {% csrf_token %} gets a stand-in, which the preview drops
            # with every hidden input (profiles.copy_preview.inert).
            bound = Context({"csrf_token": "preview", **context}, autoescape=True)
            with bound.bind_template(template):
                return node.render(bound)
    raise KeyError(f"{template_name} has no block {block!r}")
