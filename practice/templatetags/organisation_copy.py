"""`{% organisation_text "key" %}`: a text of the copy group "organisations" (the live copy in
the interface language), for templates that are not rendered by an organisation view (the
account page's section)."""

from django import template

from profiles.locales import interface_copy

register = template.Library()


@register.simple_tag
def organisation_text(key: str) -> str:
    return interface_copy()["organisations"][key]
