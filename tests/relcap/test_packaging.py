"""Every app of the project ships: in the image (Dockerfile) and in the installed package."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def local_packages() -> set[str]:
    """Top-level packages of INSTALLED_APPS that live in this repository."""
    tops = {entry.split(".")[0] for entry in settings.INSTALLED_APPS}
    return {top for top in tops if (ROOT / top / "__init__.py").is_file()}


def test_local_apps_are_found():
    assert {"relcap", "assessments", "profiles", "analysis", "practice"} <= local_packages()


def test_the_image_copies_every_app():
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (ROOT / "Dockerfile").read_text(), re.M))

    assert local_packages() - copied == set()


def test_setuptools_finds_every_app():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]

    assert {top for top in local_packages() if f"{top}*" not in include} == set()
