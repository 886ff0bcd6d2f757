"""Step 3, per page: the pyramidal TIFF for IIIF and the thumbnail."""

import logging

from django.conf import settings

from disan import __version__
from disan.derivatives import paths
from disan.derivatives.images import make_pyramid, make_thumbnail, open_page
from disan.ingest import pipeline
from disan.ingest.models import Job
from disan.preservation.events import record_event
from disan.preservation.models import PreservationEvent
from disan.preservation.storage import get_store

logger = logging.getLogger(__name__)

AGENT = f"Disan {__version__} derivatives (libvips)"


def master_path(page):
    """Return the stored master file of ``page``, read from the OCFL object."""
    return get_store().path(page.document.ocfl_object_id, page.master_file.logical_path)


def _remove_partial_files(folder, page):
    """Delete what a worker killed while writing this page's files left behind."""
    for partial in folder.glob(f".{page.pk}.*.part"):
        partial.unlink(missing_ok=True)
        logger.warning("Removed %s, left by an interrupted job", partial)


def run(job):
    """Make the page's derivatives; release its OCR job, or skip it."""
    page = job.page
    document = page.document
    master = page.master_file

    image = open_page(master_path(page), master.mime_type, page.page_in_file)
    pyramid = paths.pyramid_path(document.pk, page.pk)
    thumbnail = paths.thumbnail_path(document.pk, page.pk)
    _remove_partial_files(pyramid.parent, page)
    result = make_pyramid(image, pyramid)
    thumb_width, thumb_height = make_thumbnail(image, thumbnail)

    page.width, page.height = result.width, result.height
    page.pyramid_path = paths.relative(pyramid)
    page.pyramid_size = result.size_bytes
    page.thumbnail_path = paths.relative(thumbnail)
    page.thumbnail_width, page.thumbnail_height = thumb_width, thumb_height
    page.derived_from_sha256 = master.sha256
    page.save()
    record_event(
        document=document,
        event_type=PreservationEvent.Type.DERIVATION,
        outcome=PreservationEvent.Outcome.SUCCESS,
        detail=f"Page {page.sequence}: pyramidal TIFF {result.width}x{result.height} "
        f"and thumbnail {thumb_width}x{thumb_height}.",
        data={
            "page": page.sequence,
            "pyramid": page.pyramid_path,
            "pyramid_bytes": result.size_bytes,
            "source_sha256": master.sha256,
        },
        file_path=master.logical_path,
        agent=AGENT,
    )

    ocr_job = Job.objects.get(transfer=job.transfer, page=page, step=Job.Step.OCR)
    if not (job.transfer.batch.ocr and settings.DISAN_OCR_ENABLED):
        pipeline.skip_waiting(
            job.transfer, page=page, message="OCR turned off for this batch."
        )
        return []
    released = pipeline.release(ocr_job)
    return [released] if released else []
