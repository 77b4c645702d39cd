"""Forms of the practice area; every label is interface text (gettext)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from practice import branding
from practice.clients import DEFAULT_SORT, SORTS
from practice.models import (
    AGREED_PRACTICE_MAX_LENGTH,
    INVITATION_DAYS_DEFAULT,
    INVITATION_DAYS_MAX,
    NOTE_MAX_LENGTH,
    PRACTITIONER_NOTE_MAX_LENGTH,
    Connection,
)


class PractitionerRequestForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name shown to the people you invite"), max_length=100, strip=True
    )
    profession = forms.CharField(
        label=_("Your profession"),
        max_length=100,
        help_text=_("In your own words, for example couples therapist or coach."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=100, required=False
    )


class InvitationForm(forms.Form):
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("We send the invitation there. You can also hand over the link or QR code."),
    )
    note = forms.CharField(
        label=_("Personal note (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 500 characters, shown on the invitation."),
    )
    days = forms.IntegerField(
        label=_("Days the invitation stays open"),
        min_value=1,
        max_value=INVITATION_DAYS_MAX,
        initial=INVITATION_DAYS_DEFAULT,
        help_text=_("Between 1 and 60 days."),
    )


class AnswerInvitationForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    show_submission_dates = forms.BooleanField(required=False)


LEVEL_CHOICES = [("none", _("Not shared")), *Connection.Level.choices]


class ShareForm(forms.Form):
    profile = forms.UUIDField()
    level = forms.ChoiceField(choices=LEVEL_CHOICES)


class ChoicesForm(forms.Form):
    show_submission_dates = forms.BooleanField(
        label=_("Show the dates on which I submitted profiles (not their content)"),
        required=False,
    )
    share_checkin = forms.BooleanField(
        label=_("Share my well-being check-in answer and any support notice"), required=False
    )
    share_future = forms.BooleanField(
        label=_("Share my future profiles with this practitioner"), required=False
    )
    future_level = forms.ChoiceField(
        label=_("At this level"), choices=Connection.Level.choices, initial="summary"
    )
    share_moments = forms.BooleanField(
        label=_("Share my live moments with this practitioner"),
        required=False,
    )
    allows_share_reminders = forms.BooleanField(
        label=_("This practitioner may send me a reminder to share (at most three)"),
        help_text=_("The reminder says who sends it and nothing else."),
        required=False,
    )
    display_name = forms.CharField(
        label=_("Name this practitioner sees for you (optional)"),
        help_text=_("Shown on their pre-session brief. Leave it empty to show no name."),
        max_length=100,
        required=False,
        strip=True,
    )

    moments_level = forms.ChoiceField(
        label=_("As"),
        choices=Connection.MomentsLevel.choices,
        required=False,  # a form without it keeps the default, the weekly summary
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, moments_words: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if moments_words:  # the versioned copy's wording (moments_views group)
            self.fields["share_moments"].label = moments_words["share_choice_legend"]
            self.fields["moments_level"].label = moments_words["share_level_legend"]
            self.fields["moments_level"].choices = [
                (Connection.MomentsLevel.SUMMARY, moments_words["share_summary"]),
                (Connection.MomentsLevel.ENTRIES, moments_words["share_entries"]),
            ]

    def clean_moments_level(self):
        return self.cleaned_data.get("moments_level") or Connection.MomentsLevel.SUMMARY


class NoteEditForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        max_length=PRACTITIONER_NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to 5,000 characters. Only you can read your notes."),
    )


class NoteForm(NoteEditForm):
    # The form's one-time id: a double submit finds the note it already made.
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    field_order = ["body", "nonce"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("New note")


class AgreedPracticeForm(forms.Form):
    text = forms.CharField(
        label=_("Agreed practice (optional)"),
        max_length=AGREED_PRACTICE_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Up to 1,000 characters. The person sees this on their practice page, with your "
            "name. Leave it empty to show nothing."
        ),
    )


# --- organisations: the labels and messages are report copy (group "organisations"), so these
# forms only validate; their templates write the labels.
class OrganisationInviteForm(forms.Form):
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    email = forms.EmailField(max_length=254)


class BrandingForm(forms.Form):
    display_name = forms.CharField(max_length=100, required=False, strip=True)
    accent = forms.CharField(max_length=20, required=False, strip=True)

    def clean_accent(self) -> str:
        accent = branding.normalised(self.cleaned_data["accent"])
        if accent and branding.accent_problem(accent):
            raise forms.ValidationError(branding.accent_problem(accent))
        return accent


class ClientsFilterForm(forms.Form):
    """The clients list's search and sort (GET)."""

    q = forms.CharField(label=_("Search by name"), max_length=100, required=False, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def cleaned(self) -> tuple[str, str, int]:
        data = self.cleaned_data
        return data["q"], data["sort"] or DEFAULT_SORT, data["page"] or 1
