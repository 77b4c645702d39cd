"""`{% fill text name=value %}`: a report-copy text with its placeholders filled in a template,
for values only a template has at hand (a date formatted for the page, a URL). Escaped like
`{{ }}` output; `fill` substitutes plain names only and never raises."""

from django import template

from assessments.copy_text import fill as fill_text
from profiles.chart_svg import bar_chart_svg

register = template.Library()


@register.simple_tag(name="fill")
def fill(text: str, **values: object) -> str:
    return fill_text(text, values)


@register.simple_tag(name="report_chart")
def report_chart(chart, words) -> str:
    """`{% report_chart chart words %}`: the report's bar chart (profiles/chart_svg.py)."""
    return bar_chart_svg(chart, words)
