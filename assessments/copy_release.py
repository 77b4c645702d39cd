"""The texts of the newest released report copy, built from the files in assessments/data.

copy-3 is copy-2 plus the groups of every file in data/report_copy_3/ (its README says how).
Migration 0011 loads these texts once; the shape checks of assessments/checks.py hold every
later copy to them.
"""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COPY_2_FILE = DATA / "report_copy_2.json"
COPY_3_DIR = DATA / "report_copy_3"
RELEASED_VERSION = "copy-3"


def copy_3_texts() -> dict:
    """copy-2's texts, renamed copy-3, with every group of data/report_copy_3/*.json added."""
    texts = json.loads(COPY_2_FILE.read_text(encoding="utf-8"))
    texts["version"] = RELEASED_VERSION
    for part in sorted(COPY_3_DIR.glob("*.json")):
        groups = json.loads(part.read_text(encoding="utf-8"))
        for key, value in groups.items():
            if key in texts:
                raise ValueError(f"{part.name} repeats the group “{key}” that copy-3 already has.")
            texts[key] = value
    return texts
