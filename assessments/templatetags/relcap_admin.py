"""Template tags for the admin's own pages."""

from django import template

from assessments.queries import lacks_regional_support

register = template.Library()


@register.simple_tag
def regional_support_missing() -> bool:
    return lacks_regional_support()
