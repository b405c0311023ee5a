from django.conf import settings

from articles import alternates
from articles.addresses import site_urls


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "urls": site_urls(),
        # The page in the site's other languages (None on a site of one): an article's view
        # gives its own.
        "alternates": alternates.of_path(request),
    }
