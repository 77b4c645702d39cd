"""A pseudo translation of every interface msgid, made at test time.

Each msgid becomes "[" + the text with accented letters + about 30 % padding (in groups of
eight dots, long but breakable like the words of a longer language) + "]": on a page
rendered in it, any English interface text left without brackets was never passed through
gettext, and the longer words show where a layout has no room for a longer language. The
msgids come from a fresh `makemessages` run (scripts/check_messages.py extracts them in a copy
of the project), so a string added to a template is covered before anyone runs `make messages`.
Placeholders (%(name)s, {number}, HTML tags and entities, {{ }}) stay as they are.
"""

import math
import re
import shutil
import subprocess
from pathlib import Path

from scripts.check_messages import extract, parse

# Pseudo locales: an accented, longer left-to-right one and a right-to-left one (its base
# language "ar" is in Django's LANGUAGES_BIDI, so the page gets dir="rtl").
PSEUDO = "en-xa"
PSEUDO_RTL = "ar-xb"
LOCALES = {PSEUDO: "en_XA", PSEUDO_RTL: "ar_XB"}
OPEN, CLOSE = "[", "]"
PAD_WORD = 8
ACCENTS = str.maketrans(
    "aceinosuyzACEINOSUYZ",
    "áçéîñöšûýžÁÇÉÎÑÖŠÛÝŽ",
)
KEEP = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sd%]"  # Python formats
    r"|\{\{|\}\}|\{[a-z_]+\}"  # braces, and the {number} of a script's message
    r"|<[^>]+>|&\w+;"  # HTML tags and entities
)


def pseudo(text: str) -> str:
    parts, last = [], 0
    for match in KEEP.finditer(text):
        parts.append(text[last : match.start()].translate(ACCENTS))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(ACCENTS))
    # The padding comes in word-sized groups: longer text, but no unbreakable 60-dot "word".
    padding = "·" * math.ceil(len(re.sub(KEEP, "", text)) * 0.3)
    groups = [padding[k : k + PAD_WORD] for k in range(0, len(padding), PAD_WORD)]
    return OPEN + "".join(parts) + "".join(" " + group for group in groups) + CLOSE


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def catalogue(entries: dict) -> str:
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        "",
    ]
    for (context, msgid, plural), entry in entries.items():
        if "python-format" in entry["flags"]:
            lines.append("#, python-format")
        if context:
            lines.append(f"msgctxt {quote(context)}")
        lines.append(f"msgid {quote(msgid)}")
        if plural:
            lines += [f"msgid_plural {quote(plural)}"]
            lines += [f"msgstr[0] {quote(pseudo(msgid))}", f"msgstr[1] {quote(pseudo(plural))}"]
        else:
            lines.append(f"msgstr {quote(pseudo(msgid))}")
        lines.append("")
    return "\n".join(lines)


def build(root: Path) -> dict:
    """Writes the pseudo catalogues under root/<locale>/LC_MESSAGES and returns the msgids."""
    work = extract(["en_XA"])
    try:
        entries = parse(work / "locale" / "en_XA" / "LC_MESSAGES" / "django.po")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for folder in LOCALES.values():
        messages = root / folder / "LC_MESSAGES"
        messages.mkdir(parents=True, exist_ok=True)
        (messages / "django.po").write_text(catalogue(entries), encoding="utf-8")
        subprocess.run(
            ["msgfmt", "-o", str(messages / "django.mo"), str(messages / "django.po")], check=True
        )
    return entries
