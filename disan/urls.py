"""Top-level URLs: portal, IIIF, staff interface, accounts, languages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Disan staff interface")
admin.site.site_title = _("Disan staff")
admin.site.index_title = _("Catalog, ingest and preservation")

urlpatterns = [
    path("", include("disan.portal.urls")),
    path("iiif/3/", include("disan.iiif.urls")),
    path("progress/", include("disan.targets.urls")),
    path("staff/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]
