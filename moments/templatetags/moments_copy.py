"""`{% moments_words as words %}`: the published copy's `moments` group, for templates that
other apps include (the account page's section)."""

from django import template

from moments import copy as moments_copy

register = template.Library()


@register.simple_tag
def moments_words() -> dict:
    return moments_copy.texts(moments_copy.published_version())
