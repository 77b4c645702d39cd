"""Locales of the questionnaire (issue 16 lines 2 and 5): which languages an instrument version
can be translated into, the keys of its texts that are not statements, and the fingerprint that
says which English text a translation was made from.

Pure Python (no database), so models, checks, services and queries all read one list.
"""

import hashlib
import unicodedata

SOURCE_LOCALE = "en"  # the instrument's own texts (ItemVersion.text, InstrumentText.text)

# Every locale an instrument may be translated into, with its name in its own language.
TARGET_LOCALES = {"de": "Deutsch"}
LOCALE_NAMES = {SOURCE_LOCALE: "English", **TARGET_LOCALES}

# ASSESSMENT.md §5.5: a translation is a new instrument until it has been validated in its
# language; the admin, the docs and (from line 4) the questionnaire say so.
NOT_VALIDATED = {"de": "translation — not yet validated"}
# The same mark in the locale's own language, for the respondent's pages in that locale (no
# English text inside a German questionnaire) and beside the locale's own name.
NOT_VALIDATED_OWN = {"de": "Übersetzung – noch nicht validiert"}

# The texts a respondent reads in the questionnaire besides the statements, in reading order:
# the context-mode question (§2.6), the consent notice and agreement (§7.4), the instruction
# shown above every page (§2.1) and the response labels (§2.1) with the Skip option. The
# interface around them (buttons, progress, headings of the site) is gettext, issue 16 line 1.
SCALE_KEYS = tuple(f"scale.{value}" for value in range(1, 8))
INSTRUMENT_TEXT_KEYS = (
    "context.question",
    "context.both",
    "context.close_only",
    "context.work_only",
    "consent.notice_heading",
    "consent.intro",
    "consent.purpose_label",
    "consent.purpose",
    "consent.stored_label",
    "consent.stored",
    "consent.access_label",
    "consent.access",
    "consent.retention_label",
    "consent.retention",
    "consent.control_label",
    "consent.control",
    "consent.past_hurt",
    "consent.agreement_legend",
    "consent.agree",
    "consent.adult",
    "consent.research",
    "instruction",
    *SCALE_KEYS,
    "scale.skip",
)


def is_target_locale(locale: str) -> bool:
    return locale in TARGET_LOCALES


def fingerprint(text: str) -> str:
    """SHA-256 (hex) of a source text in Unicode NFC: the same English text always gives the
    same fingerprint, in any version, so a translation carried into a new draft stays current
    exactly as long as its English text is unchanged."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
