from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.api import api

admin.site.site_header = f"{settings.SITE_NAME} — editors"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", api.urls),
    # The public site: the default language's addresses as they are, another's under its
    # code (/fr/...). See articles.languages.
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
]

# A database outage answers 503 (temporarily unavailable), anything else 500.
handler500 = "newsroom.errors.server_error"
# A page that is not there has no versions in other languages to announce.
handler404 = "newsroom.errors.page_not_found"
handler400 = "newsroom.errors.bad_request"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
