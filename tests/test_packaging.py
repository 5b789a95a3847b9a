"""A built wheel carries templates/, static/, migrations/ and the compiled catalogues
inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from io import BytesIO

from babel.support import Translations

from tests.conftest import ROOT


def test_wheel_ships_templates_static_and_migrations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("mentoring-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "mentoring/templates/base.html",
        "mentoring/static/css/app.css",
        "mentoring/static/js/app.js",
        "mentoring/migrations/env.py",
        "mentoring/migrations/versions/0001_foundation.py",
        "mentoring/matching/engine.py",
    ):
        assert expected in names, expected
    assert not any(name.startswith("tests/") for name in names)
    # French is served by an installed wheel: the catalogue is compiled into it.
    mo = "mentoring/translations/fr/LC_MESSAGES/messages.mo"
    assert mo in names and "mentoring/translations/fr/LC_MESSAGES/messages.po" in names
    french = Translations(BytesIO(zipfile.ZipFile(wheel).read(mo)))
    assert french.gettext("Skip to content") == "Aller au contenu"
    assert not any(name.startswith("mentoring/translations/fragments") for name in names)
