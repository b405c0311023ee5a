"""
Attacks on the site in several languages: forged ids and methods on the translation
admin's addresses, writers limited to a language reaching for another, public addresses
under prefixes that are not (or not quite) a language of the site, junk languages in the
API and the ingest, and drafts or scheduled translations that must never show to a
reader, in a page, a list, a feed, a sitemap, a search, the API or an ``hreflang``.
Every answer is a refusal or a page, never a server error.
"""

import datetime
import io
import json
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import ApiToken, Article
from articles.translations import services
from articles.translations.models import TranslatorLanguages
from tests.factories import TWO_LANGUAGES, make_article, make_person, make_quote, make_user
from tests.test_editorial import change_url, draft_by, form_data

pytestmark = pytest.mark.django_db

ADMIN_VIEWS = [
    "articles_article_translate",
    "articles_article_translation_up_to_date",
    "articles_article_translation_changes",
]


def admin_url(name, pk):
    return reverse(f"admin:{name}", args=[pk])


def published_pair():
    """A published English original and its published French translation."""
    original = make_article(title="Talks in London", slug="talks-in-london", tags=["Ukraine"])
    make_quote(original, make_person(name="Ann Minister"), text="We stand together.")
    french = make_article(
        title="Pourparlers à Londres",
        slug="pourparlers-a-londres",
        tags=["Ukraine"],
        language="fr",
        translation_of=original,
        translation_source=services.source_of(original),
    )
    return original, french


def assert_answers(response, *codes):
    assert response.status_code in codes, (response.status_code, response.content[:300])


# The translation admin's addresses.


@pytest.mark.parametrize("name", ADMIN_VIEWS)
@pytest.mark.parametrize("pk", ["abc", str(2**63), str(2**64), "-1", "0", "1e3", "%00"])
def test_forged_ids_on_the_translation_addresses_are_not_found(bilingual, client, editor, name, pk):
    client.force_login(editor)
    path = admin_url(name, 1).replace("/1/", f"/{pk}/")
    for method in (client.get, client.post):
        assert_answers(method(path, {"language": "fr"}), 302, 404, 405)


@pytest.mark.parametrize("name", ADMIN_VIEWS)
def test_the_largest_ids_are_not_found(bilingual, client, editor, name):
    """An id past the database's integer is a 404 (not an overflow), by both methods."""
    client.force_login(editor)
    for pk in (2**31, 2**63 - 1, 2**63, 10**30):
        path = admin_url(name, 1).replace("/1/", f"/{pk}/")
        for method in (client.get, client.post):
            assert_answers(method(path, {"language": "fr"}), 302, 404, 405)


@pytest.mark.parametrize("name", ADMIN_VIEWS[:2])
def test_making_and_marking_translations_need_a_post(bilingual, client, editor, name):
    original, french = published_pair()
    client.force_login(editor)
    for article in (original, french):
        assert client.get(admin_url(name, article.pk)).status_code == 405
    assert Article.objects.count() == 2


@pytest.mark.parametrize("name", ADMIN_VIEWS)
def test_anonymous_readers_are_sent_to_the_login(bilingual, client, name):
    _original, french = published_pair()
    for method in (client.get, client.post):
        response = method(admin_url(name, french.pk), {"language": "fr"})
        assert response.status_code == 302 and "login" in response["Location"]
    assert Article.objects.count() == 2


def test_without_the_csrf_token_nothing_is_made_or_marked(bilingual, editor):
    original, french = published_pair()
    Article.objects.filter(pk=original.pk).update(title="Talks in London, updated")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    translate = admin_url("articles_article_translate", original.pk)
    assert client.post(translate, {"language": "fr"}).status_code == 403
    marked = client.post(admin_url("articles_article_translation_up_to_date", french.pk))
    assert marked.status_code == 403
    french.refresh_from_db()
    assert french.translation_source["title"] == "Talks in London"


def test_a_writer_cannot_translate_another_writers_draft(bilingual, client, writer, other_writer):
    draft = draft_by(other_writer, title="Embargoed: the minister resigns")
    client.force_login(writer)
    response = client.post(admin_url("articles_article_translate", draft.pk), {"language": "fr"})
    assert response.status_code == 403
    assert b"Embargoed" not in response.content
    assert not Article.objects.filter(translation_of=draft).exists()


def test_a_writer_cannot_reach_another_writers_draft_through_its_translation(
    bilingual, client, editor, writer, other_writer
):
    """The writer owns the French draft, not the English original still embargoed."""
    draft = draft_by(other_writer, title="Embargoed: the minister resigns")
    french = services.create(draft, "fr", editor)
    french.authors.set([writer])
    french.created_by = writer
    french.save()
    Article.objects.filter(pk=draft.pk).update(
        title="Embargo: the minister stays", body="Embargoed body, rewritten."
    )
    client.force_login(writer)
    changes = client.get(admin_url("articles_article_translation_changes", french.pk))
    assert changes.status_code == 403 and b"rewritten" not in changes.content
    page = client.get(change_url(french))
    assert page.status_code == 200
    # The panel names the original's status, never its headline or a link to it.
    assert (
        "stays"
        not in page.content.decode().split('id="translation-group"')[1].split("</section>")[0]
    )
    # Translating "the translation" means translating its original: refused.
    again = client.post(admin_url("articles_article_translate", french.pk), {"language": "fr"})
    assert again.status_code in (400, 403)
    assert b"rewritten" not in again.content


def test_refusing_a_translation_that_exists_names_no_hidden_draft(
    bilingual, client, editor, writer
):
    """A writer's original whose French translation is an editor's draft: no headline shown."""
    original = draft_by(writer, title="My story")
    french = services.create(original, "fr", editor)
    Article.objects.filter(pk=french.pk).update(title="Titre secret de la rédaction")
    client.force_login(writer)
    response = client.post(admin_url("articles_article_translate", original.pk), {"language": "fr"})
    assert response.status_code in (302, 400)
    assert b"Titre secret" not in response.content
    if response.status_code == 302:
        assert response["Location"] != change_url(french)


@pytest.mark.parametrize("language", ["", "de", "FR", "fr ", "fr\x00", "'", "x" * 300, "en-gb"])
def test_translating_into_junk_is_a_clear_refusal(bilingual, client, editor, language):
    original, _french = published_pair()
    Article.objects.filter(translation_of=original).delete()
    client.force_login(editor)
    response = client.post(
        admin_url("articles_article_translate", original.pk), {"language": language}
    )
    assert_answers(response, 400, 302)
    assert not Article.objects.filter(translation_of=original).exists()


def test_a_translation_of_a_deleted_original_is_an_article_of_its_own(bilingual, client, editor):
    original, french = published_pair()
    original.delete()
    client.force_login(editor)
    assert (
        client.get(admin_url("articles_article_translation_changes", french.pk)).status_code == 404
    )
    assert_answers(
        client.post(admin_url("articles_article_translation_up_to_date", french.pk)), 404
    )
    assert client.get(change_url(french)).status_code == 200
    french_page = Client().get(french.get_absolute_url())
    assert french_page.status_code == 200


def test_a_writer_limited_to_french_cannot_translate_into_english(
    bilingual, client, editor, writer
):
    TranslatorLanguages.objects.create(user=writer, languages=["fr"])
    original = draft_by(writer, title="Mon article", language="fr")
    client.force_login(writer)
    response = client.post(
        admin_url("articles_article_translate", original.pk), {"language": "en-gb"}
    )
    assert response.status_code == 403
    assert not Article.objects.filter(translation_of=original).exists()


def test_a_writer_limited_to_french_cannot_move_an_article_into_english(bilingual, client, writer):
    TranslatorLanguages.objects.create(user=writer, languages=["fr"])
    article = draft_by(writer, title="Mon article", language="fr")
    client.force_login(writer)
    data = {**form_data(article), "language": "en-gb", "title": "Now in English"}
    response = client.post(change_url(article), data)
    assert response.status_code == 200  # the form again, with the error
    article.refresh_from_db()
    assert (article.language, article.title) == ("fr", "Mon article")


def test_a_writer_limited_to_french_saving_their_english_draft_keeps_its_language(
    bilingual, client, writer
):
    """An English draft of theirs (from before the limit): an edit must not turn it French."""
    article = draft_by(writer, title="My draft")
    TranslatorLanguages.objects.create(user=writer, languages=["fr"])
    client.force_login(writer)
    page = client.get(change_url(article)).content.decode()
    select = re.search(r'<select[^>]*name="language"[^>]*>(.*?)</select>', page, re.S)[1]
    options = re.findall(r'<option value="([^"]*)"( selected)?', select)
    # What the browser posts back: the selected option, else the first.
    posted = next((value for value, selected in options if selected), options[0][0])
    data = {**form_data(article), "title": "My draft, edited", "language": posted}
    response = client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.language == "en-gb"
    # Said, not done behind their back: they may not write in English.
    assert response.status_code == 200
    assert "You may not write articles in British English" in response.content.decode()


def test_a_token_of_a_writer_limited_to_french_cannot_ingest_english(bilingual, client, writer):
    TranslatorLanguages.objects.create(user=writer, languages=["fr"])
    token = ApiToken.issue(writer, "Agency")[1]
    response = client.post(
        "/api/ingest/?language=en-gb",
        "Ministers meet\n\nThey met.",
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (400, 403)
    assert not Article.objects.filter(language="en-gb").exists()


# Public addresses under prefixes.


def public_paths(article):
    url = article.get_absolute_url()
    unprefixed = url.removeprefix("/fr")
    return [
        "/",
        "/fr/",
        "/de/",
        "/fr-ca/",
        "/FR/",
        "/Fr/articles/",
        "/fr_FR/",
        "/en-gb/",
        "/en-gb/articles/",
        "/en/",
        "/fr/admin/",
        "/fr/api/articles/",
        "/fr/fr/",
        "/fr/de/",
        "/fr/articles/",
        "/fr/articles/?page=2",
        "/fr/articles/?page=x",
        "/fr/tags/",
        "/fr/events/",
        "/fr/people/",
        "/fr/feeds/latest/",
        "/fr/sitemap.xml",
        "/sitemap.xml",
        "/fr/sitemap-news.xml",
        "/fr/search/?q=pourparlers",
        "/fr/nope/",
        url,
        unprefixed,
        "/en-gb" + unprefixed,
        "/de" + unprefixed,
        "/fr-ca" + unprefixed,
        "/FR" + unprefixed,
        "/fr" + url,
        url.replace("/fr/", "/fr%00/"),
    ]


@pytest.mark.parametrize("multilingual", [True, False])
def test_every_language_prefix_answers_without_a_server_error(multilingual):
    settings = {"LANGUAGES": TWO_LANGUAGES if multilingual else TWO_LANGUAGES[:1]}
    with override_settings(LANGUAGE_CODE="en-gb", **settings):
        _original, french = published_pair()
        client = Client(raise_request_exception=False)
        for path in public_paths(french):
            response = client.get(path)
            assert response.status_code in (200, 301, 302, 400, 404), (path, response.status_code)
            if response.status_code == 404 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                assert b"<html" in response.content


def test_a_french_articles_slug_without_the_prefix_is_not_the_french_page(bilingual, client):
    _original, french = published_pair()
    unprefixed = french.get_absolute_url().removeprefix("/fr")
    response = client.get(unprefixed)
    assert response.status_code in (301, 302, 404)
    if response.status_code != 404:
        assert response["Location"] == french.get_absolute_url()
    assert "Pourparlers" not in response.content.decode()


def test_on_a_single_language_site_french_articles_are_nowhere(client):
    with override_settings(LANGUAGES=TWO_LANGUAGES):
        _original, french = published_pair()
    for path in (french.get_absolute_url(), french.get_absolute_url().removeprefix("/fr")):
        assert client.get(path).status_code == 404
    for path in ("/", "/articles/", "/feeds/latest/", "/sitemap.xml", "/search/?q=pourparlers"):
        assert "Pourparlers" not in client.get(path).content.decode()


def test_the_error_pages_switch_language_without_a_server_error(bilingual):
    client = Client(raise_request_exception=False)
    for path in (
        "/nope/",
        "/fr/nope/",
        "/fr/articles/2025/13/40/x/",
        "/fr/articles/?page=zz",
        "/fr/articles/?from=junk",
    ):
        response = client.get(path)
        assert response.status_code in (400, 404)
        html = response.content.decode()
        # No page here in any language: nothing to announce to search engines, and the
        # switcher leads to each language's front page rather than to another missing page.
        assert 'rel="alternate" hreflang' not in html, path
        assert '<a href="/" hreflang="en-gb"' in html or '<a href="/fr/" hreflang="fr"' in html
        if path.startswith("/fr/"):  # the French page's way back is to the French front page
            assert '<a href="/fr/">Aller' in html, path


# No draft or scheduled translation anywhere public.


SECRET = "Brouillonissime"


def unpublished_translations():
    original = make_article(title="Talks in London", slug="talks-in-london")
    draft = make_article(
        title=f"{SECRET} brouillon",
        slug="brouillon",
        language="fr",
        translation_of=original,
        status=Article.Status.DRAFT,
        published_at=None,
        standfirst=f"{SECRET} chapeau.",
    )
    other = make_article(title="Sanctions in Brussels", slug="sanctions")
    scheduled = make_article(
        title=f"{SECRET} programmé",
        slug="programme",
        language="fr",
        translation_of=other,
        published_at=timezone.now() + datetime.timedelta(hours=1),
    )
    return original, other, draft, scheduled


def test_unpublished_translations_show_nowhere_public(bilingual, client):
    original, other, draft, scheduled = unpublished_translations()
    paths = [
        original.get_absolute_url(),
        other.get_absolute_url(),
        draft.get_absolute_url(),
        scheduled.get_absolute_url(),
        "/",
        "/fr/",
        "/articles/",
        "/fr/articles/",
        "/feeds/latest/",
        "/fr/feeds/latest/",
        "/sitemap.xml",
        "/fr/sitemap.xml",
        "/sitemap-news.xml",
        "/fr/search/?q=" + SECRET,
        "/search/?q=" + SECRET,
        "/api/articles/",
        "/api/articles/?language=fr",
        f"/api/articles/?language=fr&q={SECRET}",
        f"/api/articles/{original.pk}/",
        f"/api/articles/{original.pk}/ninjs/",
        f"/api/articles/{draft.pk}/",
        f"/api/articles/{scheduled.pk}/",
    ]
    seen = []
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 301, 302, 404), (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        if "q=" in path:
            text = text.replace(SECRET, "")  # the search page repeats the words asked for
        if SECRET in text or "/brouillon/" in text or "/programme/" in text:
            seen.append(path)
        if path in (original.get_absolute_url(), other.get_absolute_url()):
            assert 'rel="alternate" hreflang="fr"' not in text, path
    assert seen == []


def test_publishing_and_unpublishing_a_translation_show_on_the_originals_page(
    bilingual, settings, commit, client, editor
):
    settings.PAGE_CACHE_SECONDS = 60
    original, _other, draft, _scheduled = unpublished_translations()
    for _ in range(3):
        page = client.get(original.get_absolute_url())
    assert 'rel="alternate" hreflang="fr"' not in page.content.decode()

    def publish():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now() - datetime.timedelta(minutes=1)
        draft.save()

    commit(publish)
    page = client.get(original.get_absolute_url())
    assert 'rel="alternate" hreflang="fr"' in page.content.decode()
    assert draft.get_absolute_url() in page.content.decode()

    def unpublish():
        draft.status = Article.Status.DRAFT
        draft.save()

    commit(unpublish)
    for _ in range(2):
        page = client.get(original.get_absolute_url())
    assert 'rel="alternate" hreflang="fr"' not in page.content.decode()


def test_editing_the_original_marks_the_translation_out_of_date(bilingual, client, editor):
    original, french = published_pair()
    client.force_login(editor)
    response = client.post(
        change_url(original), form_data(original, body="A new first line.", language="en-gb")
    )
    assert response.status_code == 302
    french.refresh_from_db()
    assert services.is_out_of_date(french)
    listing = client.get(reverse("admin:articles_article_changelist") + "?translation=out_of_date")
    assert "Pourparlers" in listing.content.decode()


def test_a_stale_save_of_a_translation_is_refused_not_lost(bilingual, client, editor):
    original, _french = published_pair()
    Article.objects.filter(translation_of=original).delete()
    client.force_login(editor)
    client.post(admin_url("articles_article_translate", original.pk), {"language": "fr"})
    french = Article.objects.get(translation_of=original)
    stale = form_data(french, title="Première version")
    fresh = form_data(french, title="Deuxième version", language="fr")
    stale["language"] = "fr"
    assert client.post(change_url(french), fresh).status_code == 302
    response = client.post(change_url(french), stale)
    french.refresh_from_db()
    assert french.title == "Deuxième version"
    assert response.status_code in (200, 409)


# The API, the ingest and search with junk languages.


JUNK = ["'", "%00", "\x00", "x" * 300, "fr,en", "fr;q=1", " fr", "FR", "fr_FR", "fr-ca", "de", ""]


@pytest.mark.parametrize("multilingual", [True, False])
@pytest.mark.parametrize("junk", JUNK)
def test_api_languages_of_junk_are_a_400(multilingual, junk):
    settings = {"LANGUAGES": TWO_LANGUAGES if multilingual else TWO_LANGUAGES[:1]}
    with override_settings(LANGUAGE_CODE="en-gb", **settings):
        published_pair()
        client = Client(raise_request_exception=False)
        for query in ({"language": junk}, {"language": junk, "q": "talks"}):
            response = client.get("/api/articles/", query)
            assert response.status_code in (200, 400), (junk, response.status_code)
            if response.status_code == 200:
                languages = {a["language"] for a in response.json()["results"]}
                assert languages <= {"en-gb", "fr"}


@pytest.mark.parametrize("junk", JUNK)
def test_ingest_languages_of_junk_are_a_400(bilingual, writer, junk):
    token = ApiToken.issue(writer, "Agency")[1]
    client = Client(raise_request_exception=False)
    for body, content_type in (
        ("Ministers meet\n\nThey met.", "text/plain"),
        (
            json.dumps(
                {
                    "type": "text",
                    "language": junk,
                    "headlines": [{"role": "main", "value": "Ministers meet"}],
                    "bodies": [{"role": "main", "contenttype": "text/plain", "value": "They met."}],
                }
            ),
            "application/json",
        ),
    ):
        response = client.post(
            "/api/ingest/?" + json.dumps(junk).strip('"').join(["language=", ""]),
            body,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code in (201, 400), (junk, response.status_code, response.content)
    assert set(Article.objects.values_list("language", flat=True)) <= {"en-gb", "fr"}


@pytest.mark.parametrize(
    "q", ["'", "\x00", "%00", "x" * 300, "fr,en", "& | !", "pourparler:*", "«»", "‮", "a" * 5000]
)
def test_french_search_with_junk_answers(bilingual, q):
    published_pair()
    client = Client(raise_request_exception=False)
    for path in ("/fr/search/", "/search/"):
        response = client.get(path, {"q": q})
        assert response.status_code in (200, 400), (path, q[:20], response.status_code)


def test_deleting_a_translation_or_its_original_renews_the_others_page(
    bilingual, settings, commit, client
):
    settings.PAGE_CACHE_SECONDS = 60
    original, french = published_pair()
    english_url, french_url = original.get_absolute_url(), french.get_absolute_url()
    for url in (english_url, french_url):
        for _ in range(3):
            page = client.get(url)
        assert 'rel="alternate" hreflang="fr"' in page.content.decode()
        assert 'rel="alternate" hreflang="en-gb"' in page.content.decode()

    commit(lambda: Article.objects.get(pk=french.pk).delete())
    page = client.get(english_url).content.decode()
    assert 'rel="alternate" hreflang="fr"' not in page and french_url not in page

    Article.objects.all().delete()
    original, french = published_pair()
    english_url, french_url = original.get_absolute_url(), french.get_absolute_url()
    for _ in range(3):
        page = client.get(french_url)
    assert english_url in page.content.decode()
    commit(lambda: Article.objects.get(pk=original.pk).delete())
    page = client.get(french_url).content.decode()
    assert 'rel="alternate" hreflang="en-gb"' not in page and english_url not in page


def test_a_published_translation_of_a_draft_never_names_the_draft(bilingual, client):
    original = make_article(
        title=f"{SECRET} original", slug="embargoed", status=Article.Status.DRAFT, published_at=None
    )
    french = make_article(
        title="Pourparlers", slug="pourparlers", language="fr", translation_of=original
    )
    paths = [
        french.get_absolute_url(),
        "/fr/",
        "/sitemap.xml",
        "/api/articles/",
        f"/api/articles/{french.pk}/",
        f"/api/articles/{french.pk}/ninjs/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert SECRET not in text and "/embargoed/" not in text, path
        assert f"/api/articles/{original.pk}/" not in text, path
    page = client.get(french.get_absolute_url()).content.decode()
    assert 'rel="alternate" hreflang="en-gb"' not in page
    assert 'hreflang="x-default"' not in page


def test_an_article_in_a_language_the_site_no_longer_has_shows_nowhere(client):
    with override_settings(LANGUAGES=[*TWO_LANGUAGES, ("de", "Deutsch")], LANGUAGE_CODE="en-gb"):
        original, _french = published_pair()
        german = make_article(
            title=f"{SECRET} auf Deutsch", slug="deutsch", language="de", translation_of=original
        )
        german_url = german.get_absolute_url()
    with override_settings(LANGUAGES=TWO_LANGUAGES, LANGUAGE_CODE="en-gb"):
        for path in (
            original.get_absolute_url(),
            german_url,
            "/sitemap.xml",
            "/api/articles/",
            f"/api/articles/{original.pk}/",
            f"/api/articles/{german.pk}/",
            "/search/?q=deutsch",
        ):
            response = client.get(path)
            assert response.status_code in (200, 404), path
            assert SECRET not in response.content.decode(), path


@pytest.mark.parametrize("language", [5, ["fr"], {"fr": 1}, True, None, "fr" * 200])
def test_ingest_a_ninjs_language_of_the_wrong_kind_is_a_400(bilingual, writer, language):
    token = ApiToken.issue(writer, "Agency")[1]
    document = {
        "type": "text",
        "language": language,
        "headlines": [{"role": "main", "value": "Ministers meet"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "They met."}],
    }
    response = Client(raise_request_exception=False).post(
        "/api/ingest/",
        json.dumps(document),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (201, 400), response.content[:300]
    assert set(Article.objects.values_list("language", flat=True)) <= {"en-gb"}


def test_a_draft_translations_quotes_tags_and_events_stay_off_the_french_pages(
    bilingual, client, editor
):
    """Made as an editor makes one: the original's quotes, tags and events copied."""
    from tests.factories import link_event

    original, french = published_pair()
    Article.objects.filter(pk=french.pk).delete()
    event = link_event(original).event
    speaker = original.quotes.get().speaker
    draft = services.create(original, "fr", editor)
    Article.objects.filter(pk=draft.pk).update(title=f"{SECRET} titre")
    draft.quotes.update(text=f"{SECRET}: nous sommes unis.")
    paths = [
        speaker.get_absolute_url(),
        "/fr" + speaker.get_absolute_url(),
        "/fr/tags/ukraine/",
        "/fr/tags/ukraine/feed/",
        "/fr" + event.get_absolute_url(),
        "/fr" + event.get_absolute_url() + "feed/",
        "/fr/events/calendar.ics",
        "/fr/search/?q=unis",
        f"/api/people/?q={SECRET}",
        f"/api/articles/{original.pk}/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert SECRET not in response.content.decode(), path
    english = client.get(original.get_absolute_url()).content.decode()
    assert 'rel="alternate" hreflang="fr"' not in english


def test_marking_up_to_date_while_the_translator_edits_loses_neither(bilingual, client, editor):
    original, french = published_pair()
    Article.objects.filter(pk=original.pk).update(title="Talks in London, updated")
    client.force_login(editor)
    data = form_data(french, title="Pourparlers à Londres, revus", language="fr")  # form open
    marked = client.post(admin_url("articles_article_translation_up_to_date", french.pk))
    assert marked.status_code == 302
    assert client.post(change_url(french), data).status_code == 302
    french.refresh_from_db()
    assert french.title == "Pourparlers à Londres, revus"
    assert french.translation_source["title"] == "Talks in London, updated"
    assert not services.is_out_of_date(french)


@pytest.mark.parametrize("junk", ["'", "\x00", "x" * 300, "fr,en", "FR", "de"])
def test_the_article_lists_language_filters_with_junk(bilingual, editor, writer, junk):
    published_pair()
    draft_by(writer, title=f"{SECRET} draft")
    for user in (editor, writer):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        changelist = reverse("admin:articles_article_changelist")
        for query in ({"language": junk}, {"translation": junk}, {"q": junk, "language": "fr"}):
            response = client.get(changelist, query)
            assert response.status_code in (200, 302), (query, response.status_code)


def test_a_translations_new_address_shows_on_the_originals_page_at_once(
    bilingual, settings, commit, client
):
    settings.PAGE_CACHE_SECONDS = 60
    original, french = published_pair()
    for _ in range(3):
        client.get(original.get_absolute_url())

    def rename():
        french.slug = "pourparlers-renommes"
        french.save()

    commit(rename)
    page = client.get(original.get_absolute_url()).content.decode()
    assert "/fr/articles/" in page and "pourparlers-renommes" in page
    assert "pourparlers-a-londres" not in page


@pytest.mark.parametrize(
    "header", ["fr", "fr;q=abc", "*", "x" * 5000, "fr-CA,fr;q=0.9", "\x00", "de-DE;q=1, fr;q=0.5"]
)
def test_the_browsers_language_never_chooses_a_public_page(bilingual, editor, header):
    original, _french = published_pair()
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=header)
    client.cookies["django_language"] = "fr"
    for path in ("/", original.get_absolute_url(), "/articles/"):
        response = client.get(path)
        assert response.status_code == 200
        assert re.search(r'<html lang="([^"]+)"', response.text)[1].lower() == "en-gb"
        assert "Accept-Language" not in response.get("Vary", "")
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200


def test_translating_through_a_hidden_translation_names_nothing_of_it(
    bilingual, client, editor, writer
):
    """The writer's own original has an editor's French draft: its id, posted, shows nothing."""
    original = draft_by(writer, title="My story")
    french = services.create(original, "fr", editor)
    Article.objects.filter(pk=french.pk).update(title="Titre secret de la rédaction")
    client.force_login(writer)
    for language in ("fr", "en-gb", "de"):
        response = client.post(
            admin_url("articles_article_translate", french.pk), {"language": language}
        )
        assert response.status_code in (400, 403), language
        assert "Titre secret" not in response.content.decode(), language
        assert change_url(french) not in response.content.decode(), language


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data["articles"][1].update(translation_source="not a record"),
        lambda data: data["articles"][1].update(translation_source={"title": 5, "body": []}),
        lambda data: data["people"][0].update(translations="nothing"),
        lambda data: data["people"][0].update(translations={"fr": "ministre"}),
        lambda data: data["articles"][1].update(language="x" * 300),
    ],
    ids=["source-text", "source-kinds", "translations-text", "translation-text", "language"],
)
def test_an_archive_with_malformed_translations_is_refused_or_harmless(
    bilingual, tmp_path, media_root, change
):
    from django.core.management import CommandError, call_command

    from tests.test_archive import empty_the_database, rewrite

    original, french = published_pair()
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    changed = rewrite(path, change_data=change)
    empty_the_database(media_root)
    try:
        call_command("import_archive", str(changed), stdout=io.StringIO())
    except CommandError:
        assert not Article.objects.exists()
        return
    client = Client(raise_request_exception=False)
    for path in (
        original.get_absolute_url(),
        french.get_absolute_url(),
        "/fr/",
        "/fr/people/ann-minister/",
    ):
        assert client.get(path).status_code in (200, 404), path
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    for article in Article.objects.all():
        assert client.get(change_url(article)).status_code == 200
        assert client.get(
            admin_url("articles_article_translation_changes", article.pk)
        ).status_code in (200, 404)
    listing = client.get(
        reverse("admin:articles_article_changelist"), {"translation": "out_of_date"}
    )
    assert listing.status_code == 200
