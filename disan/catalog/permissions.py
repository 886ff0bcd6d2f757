"""Who may edit which catalog records: staff edit only their unit's.

A user belongs to holding units through ``HoldingUnit.members``.
Superusers edit everything; a record held by no unit is theirs alone.
Seeing a document is a separate question, answered by
:mod:`disan.access.policy`.
"""

from disan.catalog.models import HoldingUnit

# How each unit-scoped model reaches its holding unit.
UNIT_PATHS = {
    "heritagedocument": "holding_unit",
    "collection": "holding_unit",
    "fonds": "holding_unit",
    "series": "fonds__holding_unit",
    "archivalfile": "fonds__holding_unit",
    "heritagestatuschange": "document__holding_unit",
    "holdingunit": "",
}


def user_units(user):
    """Return the holding units ``user`` is a member of."""
    if user is None or not user.is_authenticated or not user.is_active:
        return HoldingUnit.objects.none()
    return HoldingUnit.objects.filter(members=user)


def can_edit_unit(user, unit):
    """Return whether ``user`` may edit records held by ``unit``."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if unit is None:
        return False
    return user_units(user).filter(pk=unit.pk).exists()


def scope_to_units(user, queryset):
    """Filter ``queryset`` to the records of ``user``'s units."""
    if user.is_superuser:
        return queryset
    path = UNIT_PATHS[queryset.model._meta.model_name]
    units = user_units(user)
    if not path:
        return queryset.filter(pk__in=units)
    return queryset.filter(**{f"{path}__in": units})


def unit_of(record):
    """Return the holding unit a unit-scoped record belongs to, or None."""
    path = UNIT_PATHS[record._meta.model_name]
    if not path:
        return record
    value = record
    for name in path.split("__"):
        value = getattr(value, name, None) if value is not None else None
    return value
