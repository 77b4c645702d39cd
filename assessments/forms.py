"""Forms for editing instrument content in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import checks, services
from assessments.models import Change, ItemVersion

# The two classifications an editor chooses between, each with its one-line meaning (§5.4).
CHANGE_EXPLANATIONS = {
    Change.WORDING: _(
        "Same meaning: spelling, punctuation or a tiny clarification, with keying, facet and "
        "context unchanged. Profiles stay directly comparable."
    ),
    Change.SUBSTANTIVE: _(
        "The meaning changes. A later profile is “not directly comparable” with earlier "
        "ones on this capacity."
    ),
}


class ItemVersionForm(forms.ModelForm):
    """Asks the editor to classify every edit as wording-equivalent or substantive (§5.4)."""

    class Meta:
        model = ItemVersion
        fields = [
            "code", "text", "kind", "dimension", "facet", "context", "reverse", "page", "change",
        ]  # fmt: skip
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 60})}
        help_texts = {
            "change": "After editing a copied item, say whether the edit keeps its meaning "
            "(spelling, punctuation, a tiny clarification) or changes it."
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        item = self.instance
        for field in services.MEANING_FIELDS + ("text",):
            if field in cleaned:
                setattr(item, field, cleaned[field])
        # §2.3 is enforced on new wording; a text carried over unchanged was reviewed when its
        # version was published (services.reviewed_texts).
        if "text" in cleaned and (item.derived_from_id is None or "text" in self.changed_data):
            problems = checks.writing_problems(
                cleaned["text"], cleaned.get("kind", item.kind), cleaned.get("context", "")
            )
            for problem in problems:
                self.add_error("text", problem)
        required = services.required_change(item)
        chosen = cleaned.get("change")
        if item.derived_from_id is None:
            cleaned["change"] = Change.NEW
        elif required is None:
            cleaned["change"] = Change.UNCHANGED
        elif required == Change.SUBSTANTIVE and chosen != Change.SUBSTANTIVE:
            self.add_error(
                "change",
                _(
                    "A change of kind, capacity, facet, context or keying is always "
                    "substantive: choose “Substantive change”."
                ),
            )
        elif required == Change.WORDING and chosen not in (Change.WORDING, Change.SUBSTANTIVE):
            self.add_error(
                "change",
                _(
                    "You changed the wording. Is the new text wording-equivalent (same meaning) "
                    "or a substantive change? Choose one."
                ),
            )
        return cleaned


class ChangeChoice(forms.RadioSelect):
    """The classification as radio buttons, each label followed by its one-line meaning."""

    option_template_name = "assessments/widgets/change_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["explanation"] = CHANGE_EXPLANATIONS.get(value, "")
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-explanation"
        return option


class StatementForm(ItemVersionForm):
    """One statement of a draft on its own page (issue 19): the same checks as every item form,
    the classification as two explained choices; page and place are set on the order page."""

    change = forms.ChoiceField(
        label=_("Classification of this edit"),
        choices=[(value, Change(value).label) for value in CHANGE_EXPLANATIONS],
        widget=ChangeChoice,
        required=False,
        help_text=_("Only asked when the statement differs from the version it was copied from."),
    )

    class Meta(ItemVersionForm.Meta):
        fields = ["code", "text", "kind", "dimension", "facet", "context", "reverse", "change"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["aria-describedby"] = "statement-checks"

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = ItemVersion.objects.filter(
            instrument_version_id=self.instance.instrument_version_id, code=code
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another statement of this draft has this code."))
        return code


class NewStatementForm(StatementForm):
    """A statement added to a draft: also its page; it goes after the last statement."""

    class Meta(StatementForm.Meta):
        fields = [*StatementForm.Meta.fields, "page"]
