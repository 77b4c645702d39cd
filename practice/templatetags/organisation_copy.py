"""`{% organisation_text "key" %}`: a text of the copy group "organisations" (published copy), for
templates that are not rendered by an organisation view (the account page's section)."""

from django import template

from assessments.queries import copy_texts, published_copy

register = template.Library()


@register.simple_tag
def organisation_text(key: str) -> str:
    return copy_texts(published_copy().version)["organisations"][key]
