"""German released for the questionnaire and the report, as admins would release it (issue 16
lines 3 and 4): German 1.0 (shipped with relcap, approved) and, while the shipped German of
copy-3 is not complete, a generated German of copy-3 ("[de] <key>" plus its placeholders)."""

from assessments import copy_edit, queries
from assessments import services as instrument_services
from assessments.copy_text import placeholder_names
from tests.factories import UserFactory, published_instrument


def generated_german(tree: dict) -> dict:
    groups = {key: value for key, value in tree.items() if key != "version"}
    changes = {}
    for text in copy_edit.texts_of(groups):
        names = " ".join(f"{{{name}}}" for name in sorted(placeholder_names(text.value)))
        changes[text.path] = f"[de] {text.dotted.replace('.', '')} {names}".strip()
    return copy_edit.with_changes(groups, changes)


def release_german_copy(version: str | None = None) -> None:
    """German for the published copy (or `version`), unless it is released already."""
    copy = queries.copy_version(version) if version else queries.published_copy()
    if "de" in queries.copy_locales(copy.version):
        return
    done = instrument_services.load_copy_translations(
        report_copy=copy,
        locale="de",
        groups=generated_german(queries.copy_texts(copy.version)),
        note="test",
    )
    assert done.get("released"), done


def release_german(*, copy: bool = True):
    """German 1.0 offered to respondents: the instrument's German and the copy's."""
    release = instrument_services.release_locale(
        instrument=published_instrument(), locale="de", user=UserFactory()
    )
    if copy:
        release_german_copy()
    return release
