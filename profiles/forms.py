"""Forms for starting the questionnaire and answering one page of it."""

import uuid
from collections.abc import Sequence

from django import forms
from django.core import signing
from django.http import QueryDict

from assessments.models import RESPONSE_SCALE, ItemVersion
from profiles.models import ContextMode

NAVIGATION = ("next", "back", "save")
CONTROL_FIELDS = frozenset({"csrfmiddlewaretoken", "rendered", "resume", "nav"})
RENDER_SALT = "relcap.page-rendered"


class StartForm(forms.Form):
    context_mode = forms.ChoiceField(
        label="Do you have a work, study or volunteering setting you can think of?",
        choices=[
            (ContextMode.BOTH, "Yes: ask me about close relationships and about that setting"),
            (ContextMode.CLOSE_ONLY, "No: ask me about close relationships only"),
            (ContextMode.WORK_ONLY, "I only want to reflect on work, study or volunteering"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which parts of life the questions should cover."},
    )
    consent = forms.BooleanField(
        label="I agree that relcap stores my answers and results as described above.",
        error_messages={"required": "Your agreement is needed before any answer is stored."},
    )
    adult = forms.BooleanField(
        label="I am 18 or older.",
        error_messages={"required": "relcap is for adults: please confirm you are 18 or older."},
    )
    research_opt_in = forms.BooleanField(
        label="Optional: my answers may also be used, without my name, for research on relcap.",
        required=False,
    )
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class PageForm(forms.Form):
    """One skippable seven-point field per statement on the page, named q<item version id>."""

    def __init__(self, items: Sequence[ItemVersion], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[field_name(item.pk)] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(value), label) for value, label in RESPONSE_SCALE],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": "Choose one of the seven answers, or leave it blank to skip."
                },
            )

    def statements(self) -> list[dict]:
        """Each statement with its seven options, ready for the template to print as plain
        inputs (rendering every radio through widget templates dominated the page's time)."""
        rows = []
        for item in self.items:
            name = field_name(item.pk)
            chosen = str(self[name].value() or "")
            rows.append(
                {
                    "name": name,
                    "text": item.text,
                    "error": self.errors[name][0] if name in self.errors else "",
                    "options": [
                        {
                            "id": f"id_{name}_{value}",
                            "value": value,
                            "label": label,
                            "checked": str(value) == chosen,
                        }
                        for value, label in RESPONSE_SCALE
                    ],
                }
            )
        return rows

    def values(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data[field_name(item.pk)] for item in self.items}


def field_name(item_id: int) -> str:
    return f"q{item_id}"


def tamper_problem(data: QueryDict, items: Sequence[ItemVersion]) -> str | None:
    """Why a posted page cannot be the form we rendered, or None when its shape is right."""
    allowed = CONTROL_FIELDS | {field_name(item.pk) for item in items}
    for key in data:
        if key not in allowed:
            return f"The form contained a field we did not ask for ({key[:40]})."
        if len(data.getlist(key)) > 1:
            return f"The form sent more than one answer for the same statement ({key[:40]})."
    if data.get("nav", "next") not in NAVIGATION:
        return "The form asked for a navigation step we do not know."
    return None


def render_stamp(public_id: uuid.UUID, page: int, now_ms: int) -> str:
    return signing.dumps([str(public_id), page, now_ms], salt=RENDER_SALT)


def elapsed_ms(stamp: str | None, public_id: uuid.UUID, page: int, now_ms: int) -> int | None:
    """Milliseconds since this page was rendered, or None when the stamp is missing or forged."""
    try:
        stamped_id, stamped_page, rendered_ms = signing.loads(stamp or "", salt=RENDER_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if stamped_id != str(public_id) or stamped_page != page or rendered_ms > now_ms:
        return None
    return now_ms - rendered_ms
