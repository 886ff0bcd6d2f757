"""The one place that decides who may see a document.

Every way out — pages, search, counts and facets, thumbnails, IIIF images
and manifests, downloads — asks this module. Nothing else compares access
levels.
"""

from disan.catalog.models import AccessLevel, DocumentStatus, HeritageDocument

# Permission codenames (on catalog.HeritageDocument) that open the
# non-public levels to staff and to readers granted access.
VIEW_CONDITIONAL = "catalog.view_conditional_document"
VIEW_SECRET = "catalog.view_secret_document"


# The access levels from the most open to the most closed.
OPEN_TO_CLOSED = [AccessLevel.PUBLIC, AccessLevel.CONDITIONAL, AccessLevel.SECRET]


def looser(level, than):
    """True if access ``level`` lets more people see a document than ``than``.

    A value that is not an access level is neither looser nor looser-than.
    """
    if level not in OPEN_TO_CLOSED or than not in OPEN_TO_CLOSED:
        return False
    return OPEN_TO_CLOSED.index(level) < OPEN_TO_CLOSED.index(than)


def most_closed(levels):
    """Return the most closed of the access levels among ``levels``, or None."""
    known = [level for level in levels if level in OPEN_TO_CLOSED]
    return max(known, key=OPEN_TO_CLOSED.index) if known else None


def visible_levels(user):
    """Return the access levels ``user`` may see, most open first."""
    levels = [AccessLevel.PUBLIC]
    if user is None or not user.is_authenticated or not user.is_active:
        return levels
    if user.has_perm(VIEW_CONDITIONAL) or user.has_perm(VIEW_SECRET):
        levels.append(AccessLevel.CONDITIONAL)
    if user.has_perm(VIEW_SECRET):
        levels.append(AccessLevel.SECRET)
    return levels


def can_view(user, document):
    """Return whether ``user`` may see ``document`` and anything made from it."""
    return document.access_level in visible_levels(user)


def may_know_of(user, document):
    """Return whether a refused ``user`` may be told ``document`` exists.

    A reader refused a conditional document is asked to log in (IIIF
    Authorization Flow) or to request access; a secret document is, to
    anyone who may not see it, exactly as if it did not exist.
    """
    return can_view(user, document) or document.access_level != AccessLevel.SECRET


def visible_documents(user, queryset=None):
    """Filter ``queryset`` (default: all documents) to what ``user`` may see."""
    if queryset is None:
        queryset = HeritageDocument.objects.all()
    return queryset.filter(access_level__in=visible_levels(user))


def published_documents(user, queryset=None):
    """Documents ``user`` may see that are digitized and online."""
    return visible_documents(user, queryset).filter(status=DocumentStatus.ONLINE)


def can_download(user, document):
    """Return whether ``user`` may download access copies of ``document``."""
    return can_view(user, document)
