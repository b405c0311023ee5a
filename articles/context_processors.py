from django.conf import settings

from articles.addresses import site_urls


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "urls": site_urls()}
