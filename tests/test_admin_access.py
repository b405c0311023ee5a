"""
Every admin URL, taken from the URL resolver so new views are covered by themselves:
anonymous visitors are sent to the login page, a writer never sees another writer's
draft, an editor opens everything.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse
from reversion.models import Version

from articles import services
from articles.models import Correction, ShareLink
from tests.factories import make_person, make_quote
from tests.test_editorial import EDITORS, WRITERS, draft_by, staff

pytestmark = pytest.mark.django_db

SECRET = "Secret draft headline of writer B"
# The article form's JSON endpoints (articles/desk): POST only, a GET is answered 405.
POST_ONLY = {
    "articles_article_autosave",
    "articles_article_presence",
    "articles_article_preview_pane",
    # Making a translation and marking one up to date (articles/translations): forms' actions.
    "articles_article_translate",
    "articles_article_translation_up_to_date",
}
# Views of an article's translations: on this site of one language, about an original, they
# have nothing to do (tests/test_admin_translations.py opens them on translations).
TRANSLATION_VIEWS = {
    "articles_article_translate",
    "articles_article_translation_up_to_date",
    "articles_article_translation_changes",
}


def admin_patterns(patterns=None, prefix=""):
    """(route, name) of every admin URL, nested model URLs included."""
    found = []
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += admin_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((route, pattern.name))
    return found


def article_urls(draft, version):
    """Every admin URL naming an article (or its revision), pointed at ``draft``: name → URL."""
    urls = {}
    for route, name in admin_patterns():
        if not name.startswith("articles_article_"):
            continue
        kwargs = {}
        for key, value in [("object_id", draft.pk), ("pk", draft.pk), ("version_id", version.pk)]:
            if f"<{key}>" in route or f":{key}>" in route:
                kwargs[key] = value
        groups = route.count("(")  # django-reversion's views take positional ids
        if groups == 2:
            urls[name] = reverse(f"admin:{name}", args=[draft.pk, version.pk])
        elif groups == 1:
            args = [version.pk] if "recover" in route else [draft.pk]
            urls[name] = reverse(f"admin:{name}", args=args)
        elif kwargs:
            urls[name] = reverse(f"admin:{name}", kwargs=kwargs)
    return urls


@pytest.fixture
def secret_draft():
    writer_b = staff("writer.b", WRITERS)
    draft = draft_by(writer_b, title=SECRET)
    make_quote(draft, speaker=make_person(), text="A quote from the secret draft.")
    services.submit_for_review(draft, writer_b)  # leaves a revision to reach
    Correction.objects.create(article=draft, text="A correction to the secret draft.")
    ShareLink.objects.create(article=draft, note="for legal")
    return draft


def test_the_walk_reaches_every_article_view(secret_draft):
    version = Version.objects.get_for_object(secret_draft).first()
    urls = article_urls(secret_draft, version)
    views = ["change", "delete", "history", "preview", "compare", "revision", "recover"]
    for view in [*views, "autosave", "presence", "preview_pane"]:
        assert f"articles_article_{view}" in urls, view


def test_anonymous_visitors_are_sent_to_log_in_from_every_admin_url(client, secret_draft):
    version = Version.objects.get_for_object(secret_draft).first()
    static = [
        reverse(f"admin:{name}")
        for route, name in admin_patterns()
        if "<" not in route
        and "(" not in route
        and name not in {"login", "logout", "password_change_done"}
    ]
    for url in [*static, *article_urls(secret_draft, version).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url
        assert SECRET.encode() not in response.content


def test_a_writer_cannot_open_another_writer_s_draft_anywhere(client, secret_draft):
    version = Version.objects.get_for_object(secret_draft).first()
    client.force_login(staff("writer.a", WRITERS))
    correction = secret_draft.corrections.get()
    urls = [
        *article_urls(secret_draft, version).values(),
        reverse("admin:articles_correction_change", args=[correction.pk]),
        reverse("admin:articles_correction_changelist"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + f"?q={SECRET[:12]}",
        reverse("admin:index"),
    ]
    post_only = [reverse(f"admin:{name}", args=[secret_draft.pk]) for name in POST_ONLY]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            refusals = (403, 404, 405) if method == "get" and url in post_only else (403, 404)
            assert response.status_code in (200, 302, *refusals), (method, url)
            assert SECRET.encode() not in response.content, (method, url)
            assert b"A correction to the secret draft" not in response.content, (method, url)
    secret_draft.refresh_from_db()
    assert secret_draft.title == SECRET and secret_draft.corrections.exists()


def test_an_editor_opens_every_view_of_the_draft(client, secret_draft):
    version = Version.objects.get_for_object(secret_draft).first()
    client.force_login(staff("editor.e", EDITORS))
    for name, url in article_urls(secret_draft, version).items():
        response = client.post(url) if name in POST_ONLY else client.get(url)
        if "/recover/" in url:  # recovering is for deleted articles only
            assert response.status_code == 404, url
        elif name in TRANSLATION_VIEWS:
            assert response.status_code in (400, 404), url
        else:
            assert response.status_code == 200, url
