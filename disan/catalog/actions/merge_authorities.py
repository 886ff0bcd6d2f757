"""Merge duplicate authority records into one, keeping every link."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from disan.catalog.exceptions import CatalogPermissionDenied, MergeError
from disan.core.text import nfc

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MergeResult:
    """The record kept, the ids merged into it, and the links moved."""

    kept: object
    merged_ids: list
    links_moved: int


def check_permission(user, keep):
    """Raise unless ``user`` may change and delete records of ``keep``'s kind."""
    meta = keep._meta
    needed = [f"{meta.app_label}.change_{meta.model_name}"]
    needed.append(f"{meta.app_label}.delete_{meta.model_name}")
    if not user.has_perms(needed):
        raise CatalogPermissionDenied(
            _("%(user)s may not merge %(kind)s records.")
            % {"user": user.get_username(), "kind": meta.verbose_name}
        )


@transaction.atomic
def merge_authorities(keep, duplicates, *, user):
    """Fold ``duplicates`` into ``keep`` and delete them.

    Every description, child place or narrower subject that pointed to a
    duplicate points to ``keep`` afterwards; a description linked to both
    keeps one link. The duplicates' names become other names of ``keep``.
    Relations are found from the model, so links added by other apps move
    too.
    """
    check_permission(user, keep)
    for dup in duplicates:
        if type(dup) is not type(keep):
            raise MergeError(
                _("Cannot merge %(dup)s into %(keep)s: they are different kinds.")
                % {"dup": dup, "keep": keep}
            )
    duplicates = [dup for dup in duplicates if dup.pk != keep.pk]

    moved = 0
    for dup in duplicates:
        moved += _move_links(dup, keep)
        _take_names(keep, dup)

    keep._history_user = user
    keep.save()
    for dup in duplicates:
        dup._history_user = user
        dup.delete()
    merged_ids = [dup.pk for dup in duplicates]
    logger.info(
        "%s %s absorbed %s (%s links moved)",
        keep._meta.model_name,
        keep.pk,
        merged_ids,
        moved,
    )
    return MergeResult(kept=keep, merged_ids=merged_ids, links_moved=moved)


def _move_links(dup, keep):
    """Point every relation from ``dup`` to ``keep``; return links moved."""
    moved = 0
    for relation in keep._meta.related_objects:
        field = relation.field
        if relation.many_to_many:
            moved += _move_m2m(field, dup, keep)
            continue
        rows = relation.related_model._base_manager.filter(**{field.name: dup})
        if relation.related_model is type(keep):
            # A record cannot point to itself: keep's own link to the
            # duplicate is dropped.
            rows.filter(pk=keep.pk).update(**{field.name: None})
            rows = rows.exclude(pk=keep.pk)
        moved += rows.update(**{field.name: keep})
    return moved


def _move_m2m(field, dup, keep):
    through = field.remote_field.through
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    links = through.objects.filter(**{target: dup})
    already = set(
        through.objects.filter(**{target: keep}).values_list(source, flat=True)
    )
    sources = list(links.values_list(source, flat=True))
    through.objects.bulk_create(
        [
            through(**{f"{source}_id": source_id, f"{target}_id": keep.pk})
            for source_id in sources
            if source_id not in already
        ]
    )
    links.delete()
    return len(sources)


def _take_names(keep, dup):
    names = [nfc(name) for name in keep.alternate_names or []]
    for name in [dup.name, *(dup.alternate_names or [])]:
        name = nfc(name)
        if name != nfc(keep.name) and name not in names:
            names.append(name)
    keep.alternate_names = names
    if dup.note and dup.note not in keep.note:
        keep.note = "\n\n".join(part for part in (keep.note, dup.note) if part)
