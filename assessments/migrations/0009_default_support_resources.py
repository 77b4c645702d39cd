"""Ship support resources that are correct everywhere, so no distress page is ever empty."""

from django.db import migrations, models

DEFAULTS = [
    {
        "name": "Emergency services",
        "region": "Everywhere",
        "description": (
            "Call your local emergency number: 112 works in the European Union and in many "
            "other countries, 911 in North America, 999 in the United Kingdom, 000 in Australia."
        ),
        "is_emergency": True,
        "order": 0,
    },
    {
        "name": "Find A Helpline",
        "region": "Worldwide",
        "description": (
            "A free directory of crisis lines and emotional-support services, searchable by "
            "country and by what you would like to talk about."
        ),
        "url": "https://findahelpline.com/",
        "order": 10,
    },
    {
        "name": "Befrienders Worldwide",
        "region": "Worldwide",
        "description": (
            "Emotional-support centres in many countries, for anyone who is struggling; "
            "the site lists the one nearest to you."
        ),
        "url": "https://befrienders.org/",
        "order": 20,
    },
]


def add_defaults(apps, schema_editor):
    SupportResource = apps.get_model("assessments", "SupportResource")
    for fields in DEFAULTS:
        SupportResource.objects.get_or_create(
            name=fields["name"], defaults={**fields, "is_worldwide": True}
        )


def remove_defaults(apps, schema_editor):
    SupportResource = apps.get_model("assessments", "SupportResource")
    SupportResource.objects.filter(
        is_worldwide=True, name__in=[fields["name"] for fields in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_support_emergency_line"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportresource",
            name="is_worldwide",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Correct wherever the person is (the shipped defaults). Add at least one "
                    "resource for the region you serve as well: the admin warns until one exists."
                ),
                verbose_name="worldwide",
            ),
        ),
        migrations.RunPython(add_defaults, remove_defaults),
    ]
