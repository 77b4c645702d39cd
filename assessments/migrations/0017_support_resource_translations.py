"""Support resources in another language (issue 16): a `translations` field, and the German of
the three worldwide resources that migration 0009 ships. The organisations' own names stay as
they are ("Find A Helpline", "Befrienders Worldwide"); a resource changed since (its English no
longer that of 0009) is left for its editor to translate."""

from django.db import migrations, models

# By the name 0009 gave each: the English it was written for, and the German.
GERMAN = {
    "Emergency services": {
        "english": (
            "Call your local emergency number: 112 works in the European Union and in many "
            "other countries, 911 in North America, 999 in the United Kingdom, 000 in Australia."
        ),
        "de": {
            "name": "Notruf",
            "region": "Überall",
            "description": (
                "Wählen Sie die Notrufnummer Ihres Landes: 112 gilt in der Europäischen Union "
                "und in vielen anderen Ländern, 911 in Nordamerika, 999 im Vereinigten "
                "Königreich, 000 in Australien."
            ),
        },
    },
    "Find A Helpline": {
        "english": (
            "A free directory of crisis lines and emotional-support services, searchable by "
            "country and by what you would like to talk about."
        ),
        "de": {
            "name": "Find A Helpline",
            "region": "Weltweit",
            "description": (
                "Ein kostenloses Verzeichnis von Krisentelefonen und Stellen, die zuhören und "
                "unterstützen, durchsuchbar nach Land und nach dem, worüber Sie sprechen möchten."
            ),
        },
    },
    "Befrienders Worldwide": {
        "english": (
            "Emotional-support centres in many countries, for anyone who is struggling; "
            "the site lists the one nearest to you."
        ),
        "de": {
            "name": "Befrienders Worldwide",
            "region": "Weltweit",
            "description": (
                "Anlaufstellen in vielen Ländern, für alle, denen es gerade schwer geht; die "
                "Website nennt die, die Ihnen am nächsten ist."
            ),
        },
    },
}


def add_german(apps, schema_editor):
    SupportResource = apps.get_model("assessments", "SupportResource")
    for name, texts in GERMAN.items():
        for resource in SupportResource.objects.filter(
            name=name, is_worldwide=True, description=texts["english"]
        ):
            if "de" not in resource.translations:
                resource.translations = {**resource.translations, "de": texts["de"]}
                resource.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0016_reliability_parameter_set_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportresource",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    'Name, region and description in another language, by its code: {"de": '
                    '{"name": "…", "region": "…", "description": "…"}}. Give every field that '
                    "is filled in above; without them the support page in that language shows "
                    "this one in English, marked as English."
                ),
            ),
        ),
        migrations.RunPython(add_german, migrations.RunPython.noop),
    ]
