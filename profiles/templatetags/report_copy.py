"""`{% fill text name=value %}`: a report-copy text with its placeholders filled in a template,
for values only a template has at hand (a date formatted for the page, a URL). Escaped like
`{{ }}` output; `fill` substitutes plain names only and never raises."""

from django import template

from assessments.copy_text import fill as fill_text

register = template.Library()


@register.simple_tag(name="fill")
def fill(text: str, **values: object) -> str:
    return fill_text(text, values)
