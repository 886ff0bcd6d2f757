"""Record PREMIS preservation events as rows, the preservation audit trail.

Events are data, not log lines: who did what to which object, when, and
with what outcome, kept with the document for as long as the document.
"""

import disan
from disan.core.text import nfc
from disan.preservation.exceptions import InvalidEvent
from disan.preservation.models import PreservationEvent


def default_agent():
    """Return the agent named on events Disan records by itself."""
    return f"Disan {disan.__version__}"


def record_event(
    *,
    document,
    event_type,
    outcome,
    detail="",
    data=None,
    file_path="",
    agent=None,
):
    """Save and return a :class:`PreservationEvent`.

    ``event_type`` is one of ``PreservationEvent.Type`` and ``outcome`` one
    of ``PreservationEvent.Outcome`` (members or their values); anything
    else raises :class:`InvalidEvent`. ``document`` may be None for events
    about the storage as a whole. Text is stored in NFC.
    """
    if event_type not in PreservationEvent.Type.values:
        raise InvalidEvent(
            "Unknown preservation event type {!r}; use one of {}.".format(
                event_type, ", ".join(PreservationEvent.Type.values)
            )
        )
    if outcome not in PreservationEvent.Outcome.values:
        raise InvalidEvent(
            "Unknown outcome {!r} of a {} event; use one of {}.".format(
                outcome, event_type, ", ".join(PreservationEvent.Outcome.values)
            )
        )
    return PreservationEvent.objects.create(
        document=document,
        event_type=str(event_type),
        outcome=str(outcome),
        detail=nfc(detail or ""),
        data=data if data is not None else {},
        file_path=nfc(file_path or ""),
        agent=nfc(agent) if agent else default_agent(),
    )
