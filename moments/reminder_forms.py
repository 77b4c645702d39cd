"""The reminder choice form; every label comes from the copy's `moments_reminders` group."""

from django import forms

from moments.models import MomentsSettings
from moments.reminders import zone_of


class ReminderForm(forms.Form):
    frequency = forms.ChoiceField(widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    at = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    weekday = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    time_zone = forms.CharField(max_length=64)

    def __init__(self, *args, words: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.words = words
        fields = self.fields
        fields["frequency"].label = words["frequency_legend"]
        fields["frequency"].choices = [
            (value, words[f"frequency_{value}"]) for value in MomentsSettings.Frequency.values
        ]
        fields["at"].label = words["time_label"]
        fields["weekday"].label = words["weekday_label"]
        fields["weekday"].choices = [("", "—")] + [
            (str(day), words[f"weekday_{day}"]) for day in range(7)
        ]
        fields["time_zone"].label = words["time_zone_label"]
        fields["time_zone"].help_text = words["time_zone_help"]

    def at_text(self) -> str:
        """The time as the time input shows it: what was sent, or the saved choice."""
        value = self["at"].value()
        if hasattr(value, "strftime"):
            return value.strftime("%H:%M")
        return value or ""

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        if zone_of(name) is None:
            raise forms.ValidationError(self.words["problem_time_zone"])
        return name

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        if frequency and frequency != MomentsSettings.Frequency.OFF and not data.get("at"):
            self.add_error("at", self.words["problem_time"])
        if frequency == MomentsSettings.Frequency.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", self.words["problem_weekday"])
        return data
