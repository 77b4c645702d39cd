"""scripts/check_messages.py (make messages-check, CI): a catalogue ships only when it holds
exactly the msgids extracted now, each translated and none fuzzy."""

from pathlib import Path

from scripts.check_messages import catalogue_problems, parse

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def po(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


FRESH = """#: templates/home.html:3
msgid "Begin"
msgstr ""

msgctxt "navigation"
msgid "Main"
msgstr ""

msgid "One profile"
msgid_plural "%(n)s profiles"
msgstr[0] ""
msgstr[1] ""
"""


def test_a_complete_current_catalogue_has_no_problems(tmp_path):
    committed = po(
        tmp_path,
        "de.po",
        """msgid "Begin"
msgstr "Beginnen"

msgctxt "navigation"
msgid "Main"
msgstr "Hauptnavigation"

msgid "One profile"
msgid_plural "%(n)s profiles"
msgstr[0] "Ein Profil"
msgstr[1] "%(n)s Profile"
""",
    )

    assert catalogue_problems(committed, po(tmp_path, "fresh.po", FRESH), Path("de.po")) == []


def test_stale_untranslated_and_fuzzy_entries_are_each_named(tmp_path):
    committed = po(
        tmp_path,
        "de.po",
        """#, fuzzy
msgid "Begin"
msgstr "Beginnen"

msgid "One profile"
msgid_plural "%(n)s profiles"
msgstr[0] "Ein Profil"
msgstr[1] ""

msgid "Gone from the templates"
msgstr "Weg"

#~ msgid "Obsolete"
#~ msgstr "Veraltet"
""",
    )

    problems = catalogue_problems(committed, po(tmp_path, "fresh.po", FRESH), Path("de.po"))

    assert problems == [
        "de.po: stale, lacks msgid 'Main' (context 'navigation') (run `make messages`)",
        "de.po: stale, msgid 'Gone from the templates' is no longer used",
        "de.po: fuzzy msgid 'Begin'",
        "de.po: untranslated msgid 'One profile'",
    ]


def test_the_parser_reads_continued_lines_escapes_and_flags(tmp_path):
    path = po(
        tmp_path,
        "x.po",
        """#: a.py:1
#, python-format
msgid ""
"Hello %(name)s, "
"say \\"hi\\"\\n"
msgstr "Hallo %(name)s, sag „hi“\\n"
""",
    )

    ((key, entry),) = parse(path).items()

    assert key == ("", 'Hello %(name)s, say "hi"\n', "")
    assert entry["msgstr"] == "Hallo %(name)s, sag „hi“\n"
    assert entry["flags"] == {"python-format"}
