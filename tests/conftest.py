"""Test-wide settings: every test gets its own data folder."""

import pytest


@pytest.fixture(autouse=True)
def disan_home(tmp_path, settings):
    """Point every DISAN_* path at a fresh folder under ``tmp_path``."""
    home = tmp_path / "disan-home"
    settings.DISAN_HOME = home
    settings.DISAN_OCFL_ROOT = home / "ocfl"
    settings.DISAN_DERIVATIVES_ROOT = home / "derivatives"
    settings.DISAN_TRANSFERS_ROOT = home / "transfers"
    settings.DISAN_SEARCH_INDEX = home / "search" / "index.sqlite3"
    settings.MEDIA_ROOT = home / "media"
    for path in (
        home,
        settings.DISAN_DERIVATIVES_ROOT,
        settings.DISAN_TRANSFERS_ROOT,
        settings.DISAN_SEARCH_INDEX.parent,
    ):
        path.mkdir(parents=True, exist_ok=True)
    return home


@pytest.fixture(autouse=True)
def description_jobs(monkeypatch):
    """Keep the jobs that store catalog edits in the object, instead of sending them.

    Returns the list of document ids whose job was sent; a test runs them
    with :func:`disan.preservation.description.preserve`.
    """
    from disan.preservation import description

    sent = []
    monkeypatch.setattr(description, "dispatch", sent.append)
    return sent


def run_description_jobs():
    """Run here, as a worker would, the job of every waiting catalog edit."""
    from disan.preservation import description
    from disan.preservation.models import DescriptionRequest

    waiting = list(DescriptionRequest.objects.values_list("document_id", flat=True))
    for document_id in waiting:
        description.preserve(document_id)
    return waiting
