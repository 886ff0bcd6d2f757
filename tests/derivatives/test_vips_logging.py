"""libvips's warnings stay out of the log at the default level; errors do not."""

import logging

import pytest


def test_libvips_warnings_are_not_logged_but_errors_are():
    vips = logging.getLogger("pyvips")

    assert not vips.isEnabledFor(logging.WARNING)
    assert vips.isEnabledFor(logging.ERROR)
    assert vips.isEnabledFor(logging.CRITICAL)


@pytest.mark.parametrize("level, shown", [("INFO", True), ("WARNING", False)])
def test_a_more_verbose_log_level_shows_them(tmp_path, level, shown):
    import os
    import subprocess
    import sys

    env = dict(os.environ, DISAN_HOME=str(tmp_path), DISAN_LOG_LEVEL=level)
    env["DJANGO_SETTINGS_MODULE"] = "disan.settings"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, logging; django.setup(); "
            "print(logging.getLogger('pyvips').isEnabledFor(logging.WARNING))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(shown)
