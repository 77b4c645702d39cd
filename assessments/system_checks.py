"""Django system checks for content an operator must provide before people take relcap."""

from django.core.checks import Warning, register
from django.db import DatabaseError

REGIONAL_SUPPORT_MISSING = "assessments.W001"


@register()
def check_regional_support(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    """Warn while the support page lists only the worldwide defaults. Django passes
    `databases` only to commands that may query (migrate, `check --database default`)."""
    if not databases or "default" not in databases:
        return []
    from assessments.queries import lacks_regional_support

    try:
        missing = lacks_regional_support()
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    if not missing:
        return []
    return [
        Warning(
            "No support resource for your region is active: people whose answers suggest "
            "distress see only the worldwide emergency and helpline-directory entries.",
            hint="Add a local crisis line under Questionnaire → Support resources in the admin.",
            id=REGIONAL_SUPPORT_MISSING,
        )
    ]
