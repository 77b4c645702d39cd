"""Fails when an interface translation is not ready to ship (make messages-check; CI).

For every language of settings.LANGUAGES other than the source language (British English, the
language of the msgids), locale/<lang>/LC_MESSAGES/django.po must
- hold exactly the msgids that `makemessages` extracts from the code and templates now (it is
  stale otherwise: run `make messages` and translate what is new);
- translate every one of them, none left empty or marked fuzzy;
- compile with `msgfmt --check` (format placeholders that match, a valid header).

The extraction runs on a copy of the project in a temporary folder, so the check never touches
the .po files it checks.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["manage.py", "relcap", "assessments", "profiles", "analysis", "practice", "moments"]
SOURCES += ["templates", "locale"]
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")


def parse(path: Path) -> dict[tuple[str, str, str], dict]:
    """The entries of a .po file (blocks separated by blank lines, as gettext writes them) by
    (msgctxt, msgid, msgid_plural): their msgstrs and flags. The header and obsolete (#~)
    entries are left out."""
    entries: dict[tuple[str, str, str], dict] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set()}
        field = None
        for line in block.strip().splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += unquote(line)
            else:
                field, _, rest = line.partition(" ")
                entry[field] = unquote(rest)
        if entry.get("msgid"):
            key = (entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural", ""))
            entries[key] = entry
    return entries


def unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def extract(languages: list[str]) -> Path:
    """A copy of the project with freshly extracted .po files."""
    work = Path(tempfile.mkdtemp(prefix="relcap-messages-"))
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=SKIP)
        elif source.exists():
            shutil.copy2(source, work / name)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v", "0"]
    command += [f"--locale={language}" for language in languages]
    env = dict(os.environ, DJANGO_DEBUG="true")
    subprocess.run(command, cwd=work, check=True, env=env)
    return work


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcap.settings")
    import django
    from django.conf import settings
    from django.utils.translation import to_locale

    django.setup()
    shipped = [to_locale(c) for c, _ in settings.LANGUAGES if c != settings.LANGUAGE_CODE]
    problems: list[str] = []
    work = extract(shipped)
    try:
        for language in shipped:
            relative = Path("locale") / language / "LC_MESSAGES" / "django.po"
            committed, fresh = ROOT / relative, work / relative
            if not committed.exists():
                problems.append(f"{relative}: missing (run `make messages` and translate it)")
                continue
            problems += catalogue_problems(committed, fresh, relative)
            compiled = subprocess.run(
                ["msgfmt", "--check", "-o", os.devnull, str(committed)],
                capture_output=True,
                text=True,
            )
            if compiled.returncode:
                problems.append(f"{relative}: msgfmt --check fails:\n{compiled.stderr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} translation problem(s)", file=sys.stderr)
        return 1
    print(f"translations complete and current: {', '.join(shipped)}")
    return 0


def catalogue_problems(committed: Path, fresh: Path, shown: Path) -> list[str]:
    """What keeps the committed catalogue from shipping, against a fresh extraction."""
    have, want = parse(committed), parse(fresh)
    problems = [
        f"{shown}: stale, lacks {describe(key)} (run `make messages`)"
        for key in sorted(set(want) - set(have))
    ]
    unused = sorted(set(have) - set(want))
    problems += [f"{shown}: stale, {describe(key)} is no longer used" for key in unused]
    for key, entry in sorted(have.items()):
        if key not in want:
            continue
        if "fuzzy" in entry.get("flags", set()):
            problems.append(f"{shown}: fuzzy {describe(key)}")
        elif not all(value.strip() for value in translations(entry)):
            problems.append(f"{shown}: untranslated {describe(key)}")
    return problems


def describe(key: tuple[str, str, str]) -> str:
    context, msgid, _plural = key
    shown = msgid if len(msgid) <= 70 else msgid[:67] + "..."
    return f"msgid {shown!r}" + (f" (context {context!r})" if context else "")


if __name__ == "__main__":
    sys.exit(main())
