"""`{% interface_languages as languages %}`: the switcher's choices, each with whether its
translation is still waiting for validation (settings.RELCAP_UNVALIDATED_LANGUAGES)."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.simple_tag
def interface_languages() -> list[dict]:
    current = translation.get_language()
    unvalidated = set(settings.RELCAP_UNVALIDATED_LANGUAGES)
    return [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "validated": code not in unvalidated,
        }
        for code, name in settings.LANGUAGES
    ]
