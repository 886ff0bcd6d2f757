"""Extra identifiers under which a page's image service is also served."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from disan.catalog.models import Page


class ImageAlias(models.Model):
    """A second identifier of a page's image service.

    Pages are served under their UUID. An alias keeps image URLs of a
    previous image server working after its images were ingested into
    Disan (IIIF URLs are cited in papers and harvested by others), and lets
    a conformance suite ask for its test image by the name it expects.
    Staff add aliases in the staff interface. Access is decided on the
    page's document, whichever identifier was asked for.
    """

    alias = models.CharField(
        _("image identifier"),
        max_length=255,
        unique=True,
        help_text=_("Letters, digits, '.', '-' and '_'; no slashes."),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._-]+$", _("Use only letters, digits, '.', '-' and '_'.")
            )
        ],
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["alias"]
        verbose_name = _("image alias")
        verbose_name_plural = _("image aliases")

    def __str__(self):
        return self.alias
