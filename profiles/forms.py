"""Forms for starting the questionnaire, answering one page of it, and choosing two profiles
to compare."""

import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.http import QueryDict
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from assessments.locales import SOURCE_LOCALE
from assessments.models import RESPONSE_SCALE, ItemVersion
from assessments.queries import QuestionnaireTexts
from profiles.models import ContextMode

NAVIGATION = ("next", "back", "save")
CONTROL_FIELDS = frozenset({"csrfmiddlewaretoken", "rendered", "resume", "nav"})
RENDER_SALT = "relcap.page-rendered"
TICKED = "on"  # what a browser sends for a ticked checkbox that has no value attribute
SKIP_LABEL = "Skip"
STATEMENT_TEMPLATE = "partials/_statement.html"
# The HTML of one statement with one option chosen ("1".."7", "" for Skip, None for none) is
# the same for every respondent, so for an item version of a published or retired instrument
# (never changed again) it is rendered once per process, chosen option and locale (a released
# locale's texts never change either), at most nine times an item and locale. A draft's
# items are editable and always rendered; so is a statement with an error.
_statement_html: dict[tuple[int, str | None, str], SafeString] = {}


def clear_statement_cache() -> None:
    _statement_html.clear()


class TickBoxInput(forms.CheckboxInput):
    """Hands the posted string to the field as it came: Django's own checkbox turns every
    string but "false" into True, so a tampered `consent=0` or `consent=no` would count."""

    def value_from_datadict(self, data, files, name: str):
        return data.get(name) if name in data else None


class TickBoxField(forms.BooleanField):
    """Ticked only when the body carries the checkbox's own value, "on"; absent is unticked
    and any other value is refused."""

    widget = TickBoxInput
    default_error_messages = {"invalid": _("Tick this box or leave it empty.")}

    def to_python(self, value) -> bool:
        if value is None or value is False:
            return False
        if value is True or value == TICKED:
            return True
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def bound_data(self, data, initial) -> bool:
        return data is True or data == TICKED


class StartForm(forms.Form):
    context_mode = forms.ChoiceField(
        label=_("Do you have a work, study or volunteering setting you can think of?"),
        choices=[
            (ContextMode.BOTH, _("Yes: ask me about close relationships and about that setting")),
            (ContextMode.CLOSE_ONLY, _("No: ask me about close relationships only")),
            (ContextMode.WORK_ONLY, _("I only want to reflect on work, study or volunteering")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which parts of life the questions should cover.")},
    )
    consent = TickBoxField(
        label=_("I agree that relcap stores my answers and results as described above."),
        error_messages={"required": _("Your agreement is needed before any answer is stored.")},
    )
    adult = TickBoxField(
        label=_("I am 18 or older."),
        error_messages={"required": _("relcap is for adults: please confirm you are 18 or older.")},
    )
    research_opt_in = TickBoxField(
        label=_("Optional: my answers may also be used, without my name, for research on relcap."),
        required=False,
    )
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    # The questionnaire's locale, chosen above the form (issue 16 line 4); only an offered one.
    # Left out (an older form, a script), it is the locale the page was shown in.
    locale = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[(SOURCE_LOCALE, SOURCE_LOCALE)],
        required=False,
        error_messages={
            "invalid_choice": _(
                "This language is not offered for the questionnaire: choose one "
                "of the languages listed."
            ),
        },
    )

    def __init__(
        self,
        *args,
        texts: QuestionnaireTexts | None = None,
        offered: Sequence[str] = (SOURCE_LOCALE,),
        **kwargs,
    ) -> None:
        """`texts`: the instrument's texts in the chosen locale, which word the context
        question and the agreement; without them, the English wording of instrument 1.0."""
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = [(code, code) for code in offered]
        if texts is None:
            return
        words = texts.texts
        self.fields["context_mode"].label = words["context.question"]
        self.fields["context_mode"].choices = [
            (mode, words[f"context.{mode}"]) for mode in ContextMode.values
        ]
        agreement = {"consent": "agree", "adult": "adult", "research_opt_in": "research"}
        for name, key in agreement.items():
            self.fields[name].label = words[f"consent.{key}"]

    def clean(self) -> dict:
        """A browser sends each of these once; two values for one question is not a choice."""
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            if getlist is not None and len(getlist(name)) > 1:
                self.add_error(name, _("The form sent two answers here: please choose once."))
        return super().clean()


@dataclass(frozen=True)
class RenderStamp:
    """What the signed `rendered` field of a page form says about the page as it was shown."""

    rendered_ms: int  # when the page was rendered (ms since the epoch)
    render_id: str  # unique per render: a replayed form counts its page time once
    shown: dict[int, int | None]  # the stored answers it showed; no key: no answer row yet


class PageForm(forms.Form):
    """One skippable seven-point field per statement on the page, named q<item version id>.

    `shown` is the stored answers the form was rendered with (from its render stamp once the
    form is posted). A field the body does not carry is not a change; "" is "Skip".
    """

    def __init__(
        self,
        items: Sequence[ItemVersion],
        *args,
        shown: Mapping[int, int | None] | None = None,
        frozen: bool = False,
        texts: QuestionnaireTexts | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.shown = dict(shown or {})
        self.frozen = frozen  # the items belong to a published or retired version
        # The statements, labels and Skip in the profile's locale (issue 16 line 4); without
        # texts (the admin's preview, older callers) the items' own English and the scale.
        self.texts = texts
        self.locale = texts.locale if texts is not None else SOURCE_LOCALE
        self.scale = texts.scale() if texts is not None else RESPONSE_SCALE
        self.skip_label = texts.texts["scale.skip"] if texts is not None else SKIP_LABEL
        if not self.is_bound:  # only shown: its statements print as plain inputs, no fields
            return
        for item in self.items:
            self.fields[field_name(item.pk)] = forms.TypedChoiceField(
                label=self.statement_text(item),
                choices=[(str(value), label) for value, label in self.scale],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose one of the seven answers, or Skip to leave it out.")
                },
            )

    def statement_text(self, item: ItemVersion) -> str:
        return item.text if self.texts is None else self.texts.items[item.pk]

    def displayed(self, item_id: int) -> str | None:
        """The option to show as chosen: "1".."7", "" for Skip, None for none."""
        name = field_name(item_id)
        if self.is_bound and name in self.data:
            return self.data[name]
        if item_id in self.shown:
            return "" if self.shown[item_id] is None else str(self.shown[item_id])
        return None

    def statements(self) -> list[dict]:
        """Each statement with its seven options and Skip, ready for the template to print as
        plain inputs (rendering every radio through widget templates dominated the page's time)."""
        return [self.statement(item, self.displayed(item.pk)) for item in self.items]

    def statement(self, item: ItemVersion, chosen: str | None) -> dict:
        name = field_name(item.pk)
        return {
            "name": name,
            "text": self.statement_text(item),
            "error": self.errors[name][0] if name in self.errors else "",
            "options": [
                {
                    "id": f"id_{name}_{value}",
                    "value": value,
                    "label": label,
                    "checked": str(value) == chosen,
                }
                for value, label in self.scale
            ],
            "skip": {"id": f"id_{name}_skip", "label": self.skip_label, "checked": chosen == ""},
        }

    def statement_fragments(self) -> list[SafeString]:
        """Each statement as HTML (partials/_statement.html); for a frozen version, rendered
        once per process and chosen option (the cache above)."""
        template = get_template(STATEMENT_TEMPLATE)
        fragments = []
        for item in self.items:
            chosen = self.displayed(item.pk)
            key = (item.pk, chosen, self.locale)
            cacheable = self.frozen and field_name(item.pk) not in self.errors
            html = _statement_html.get(key) if cacheable else None
            if html is None:
                html = template.render({"statement": self.statement(item, chosen)})
                if cacheable:
                    _statement_html[key] = html
            fragments.append(html)
        return fragments

    def posted_values(self) -> dict[int, int | None]:
        """The answers the body carried, keyed by item version id (None: Skip)."""
        return {
            item.pk: self.cleaned_data[field_name(item.pk)]
            for item in self.items
            if field_name(item.pk) in self.data
        }


def field_name(item_id: int) -> str:
    return f"q{item_id}"


def tamper_problem(data: QueryDict, items: Sequence[ItemVersion]) -> str | None:
    """Why a posted page cannot be the form we rendered, or None when its shape is right.

    A page with nothing chosen posts none of its statements (a browser leaves unchosen radios
    out), so that is fine with a navigation button; with neither, there is nothing to do.
    """
    names = {field_name(item.pk) for item in items}
    allowed = CONTROL_FIELDS | names
    for key in data:
        if key not in allowed:
            return _("The form contained a field we did not ask for (%(field)s).") % {
                "field": key[:40]
            }
        if len(data.getlist(key)) > 1:
            return _("The form sent more than one answer for the same statement (%(field)s).") % {
                "field": key[:40]
            }
    if "nav" not in data and not names.intersection(data):
        return _("The form arrived empty: it held no answers and no button.")
    if data.get("nav", "next") not in NAVIGATION:
        return _("The form asked for a navigation step we do not know.")
    return None


def render_stamp(
    public_id: uuid.UUID,
    page: int,
    rendered_ms: int,
    shown: Mapping[int, int | None],
) -> str:
    """Sign when and with which stored answers a page form was rendered."""
    render_id = secrets.token_urlsafe(9)
    answers = sorted([item_id, value] for item_id, value in shown.items())
    return signing.dumps([str(public_id), page, rendered_ms, render_id, answers], salt=RENDER_SALT)


def read_stamp(
    stamp: str | None, public_id: uuid.UUID, page: int, item_ids: Sequence[int]
) -> RenderStamp | None:
    """The stamp of a form rendered for this page of this profile, or None when it is missing,
    forged, from another page, or from before stamps carried the shown answers."""
    try:
        stamped_id, stamped_page, rendered_ms, render_id, answers = signing.loads(
            stamp or "", salt=RENDER_SALT
        )
        shown = {int(item_id): value for item_id, value in answers}
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if stamped_id != str(public_id) or stamped_page != page or not set(shown) <= set(item_ids):
        return None
    return RenderStamp(rendered_ms=rendered_ms, render_id=render_id, shown=shown)


def elapsed_ms(stamp: RenderStamp, now_ms: int) -> int | None:
    """Milliseconds since the page was rendered; None when the clock is behind the stamp."""
    return None if stamp.rendered_ms > now_ms else now_ms - stamp.rendered_ms


class CompareForm(forms.Form):
    """Two of the person's profiles, by public id, for the comparison page (§6)."""

    a = forms.UUIDField()
    b = forms.UUIDField()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise forms.ValidationError(_("Choose two different profiles."))
        return cleaned


class LinkMailForm(forms.Form):
    """ "E-mail me this link": the address is used for one mail and then forgotten."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Type the e-mail address the link should go to."),
            "invalid": _("This does not look like an e-mail address: check it and try again."),
        },
    )
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
