"""`{% moments_words as words %}`: the published copy's `moments` group, for templates that
other apps include (the account page's section), in the interface's language when the copy is
released in it (issue 16), else in English."""

from django import template
from django.utils import translation

from assessments.locales import SOURCE_LOCALE
from assessments.queries import copy_locales
from moments import copy as moments_copy
from profiles.locales import base_language

register = template.Library()


@register.simple_tag
def moments_words() -> dict:
    version = moments_copy.published_version()
    locale = base_language(translation.get_language())
    if locale not in copy_locales(version):
        locale = SOURCE_LOCALE
    return moments_copy.texts(version, locale)
