"""`{% moments_words as words %}`: the live copy's `moments` group in the interface language,
for templates that other apps include (the account page's section)."""

from django import template

from moments import copy as moments_copy
from profiles.locales import interface_locale

register = template.Library()


@register.simple_tag
def moments_words() -> dict:
    return moments_copy.interface_words(interface_locale())[1]
