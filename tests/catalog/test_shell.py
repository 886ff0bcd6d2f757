"""`disan shell` starts without reporting objects it could not import."""

import io

from django.core.management import call_command


def test_shell_imports_the_models_and_reports_no_failures(capsys):
    output = io.StringIO()
    call_command(
        "shell", command="print(HeritageDocument.__name__)", stdout=output, verbosity=1
    )
    assert "could not be automatically imported" not in output.getvalue()
    assert "objects imported automatically" in output.getvalue()
    assert capsys.readouterr().out == "HeritageDocument\n"
