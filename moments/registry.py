"""Parts that layers above moments add to the practice page (moments imports none of them).

Each part is a callable `(request) -> (template_name, context) | None`; None shows nothing.
Register one in the AppConfig.ready of the app that owns it, the way practice/apps.py adds its
account section to profiles.views.account.ACCOUNT_SECTIONS.

- PRACTICE_PAGE_PARTS are shown right under the current focus: the practice app adds the
  practitioner's agreed-practice note there.
- PRACTICE_PAGE_VIEWS are shown in the "Over the weeks" section after this week's moments:
  the 4- and 12-week views go there.
"""

from collections.abc import Callable

from django.http import HttpRequest

Part = Callable[[HttpRequest], tuple[str, dict] | None]

PRACTICE_PAGE_PARTS: list[Part] = []
PRACTICE_PAGE_VIEWS: list[Part] = []
