"""Catalog edits of a preserved document's description queue a new version."""

from disan.preservation import description


def description_saved(sender, instance, history_instance, history_user, **kwargs):
    """Queue the storing of a description that a saved history row changed.

    Every save of a document through the ORM writes a history row: admin
    edits, reverts from history and status decisions alike. ``disan import``
    writes in bulk and queues its documents itself.
    """
    if not instance.ocfl_object_id:
        return
    if not description.description_changed(
        history_instance, history_instance.prev_record
    ):
        return
    name = history_user.get_username() if history_user is not None else ""
    description.request([instance.pk], changed_by=name)
