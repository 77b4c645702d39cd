"""Forms for editing instrument content in the admin."""

from django import forms

from assessments import services
from assessments.models import Change, ItemVersion


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
        required = services.required_change(item)
        chosen = cleaned.get("change")
        if item.derived_from_id is None:
            cleaned["change"] = Change.NEW
        elif required is None:
            cleaned["change"] = Change.UNCHANGED
        elif required == Change.SUBSTANTIVE and chosen != Change.SUBSTANTIVE:
            self.add_error(
                "change",
                "A change of kind, capacity, facet, context or keying is always substantive: "
                "choose “Substantive change”.",
            )
        elif required == Change.WORDING and chosen not in (Change.WORDING, Change.SUBSTANTIVE):
            self.add_error(
                "change",
                "You changed the wording. Is the new text wording-equivalent (same meaning) "
                "or a substantive change? Choose one.",
            )
        return cleaned
