"""The editors' side of translations: the translation group, making and updating translations."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import Article, ArticleEvent, Event, TagProfile
from articles.roles import WRITERS
from articles.translations.models import TranslatorLanguages
from tests.factories import (
    TWO_LANGUAGES,
    link_event,
    make_article,
    make_person,
    make_picture,
    make_quote,
)
from tests.test_editorial import change_url, draft_by, form_data, staff

pytestmark = pytest.mark.django_db

THREE_LANGUAGES = [*TWO_LANGUAGES, ("de", "Deutsch")]


@pytest.fixture
def trilingual():
    with override_settings(LANGUAGES=THREE_LANGUAGES, LANGUAGE_CODE="en-gb"):
        yield


@pytest.fixture
def original(editor):
    article = make_article(
        title="Talks in London",
        slug="talks-in-london",
        standfirst="Ministers met.",
        body="The talks began at nine.",
        dateline="London",
        tags=["Ukraine", "Diplomacy"],
        lead_image=make_picture(alt="The ministers"),
    )
    article.authors.add(editor)
    speaker = make_person(name="Ann Minister")
    make_quote(article, speaker, text="We stand together.", role="Foreign Secretary", position=2)
    link_event(article, kind=ArticleEvent.Kind.REPORTS_ON)
    return article


def translate_url(article):
    return reverse("admin:articles_article_translate", args=[article.pk])


def up_to_date_url(article):
    return reverse("admin:articles_article_translation_up_to_date", args=[article.pk])


def changes_url(article):
    return reverse("admin:articles_article_translation_changes", args=[article.pk])


def test_translating_copies_the_original_and_lands_on_the_draft(
    bilingual, client, editor, original
):
    """A French draft with the original's words, tags, events, picture and quotes to translate."""
    client.force_login(editor)
    response = client.post(translate_url(original), {"language": "fr"})
    french = Article.objects.get(translation_of=original)
    assert response.status_code == 302 and response["Location"] == change_url(french)
    assert (french.language, french.status) == ("fr", Article.Status.DRAFT)
    assert (french.title, french.standfirst, french.body) == (
        original.title, original.standfirst, original.body
    )  # fmt: skip
    assert french.slug == original.slug and french.lead_image_id == original.lead_image_id
    assert french.translation_source["version"] == original.edit_version
    assert french.translation_source["body"] == original.body
    assert sorted(t.name for t in french.tags.all()) == ["Diplomacy", "Ukraine"]
    links = [(link.event_id, link.kind) for link in original.event_links.all()]
    assert [(link.event_id, link.kind) for link in french.event_links.all()] == links
    assert list(french.authors.all()) == [editor]
    quote = french.quotes.get()
    assert (quote.speaker.name, quote.position, quote.role) == (
        "Ann Minister",
        2,
        "Foreign Secretary",
    )
    assert (quote.original_text, quote.original_language) == ("We stand together.", "en-gb")
    assert quote.is_translation
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Talks in London" in page.text  # the group lists the original


def test_a_translation_of_a_translation_translates_the_original(
    trilingual, client, editor, original
):
    client.force_login(editor)
    client.post(translate_url(original), {"language": "fr"})
    french = Article.objects.get(language="fr")
    response = client.post(translate_url(french), {"language": "de"})
    german = Article.objects.get(language="de")
    assert response.status_code == 302
    assert german.translation_of == original


def test_a_second_translation_into_a_language_is_not_made(bilingual, client, editor, original):
    """Asking again leads to the translation there is, with no second one."""
    client.force_login(editor)
    client.post(translate_url(original), {"language": "fr"})
    response = client.post(translate_url(original), {"language": "fr"})
    french = Article.objects.get(translation_of=original)
    assert response.status_code == 302 and response["Location"] == change_url(french)
    assert Article.objects.filter(language="fr").count() == 1


@pytest.mark.parametrize("language", ["en-gb", "xx", ""])
def test_no_translation_into_the_originals_or_an_unknown_language(
    bilingual, client, editor, original, language
):
    client.force_login(editor)
    response = client.post(translate_url(original), {"language": language})
    assert response.status_code == 400
    assert not Article.objects.filter(translation_of=original).exists()


def test_the_group_shows_status_and_out_of_date_with_a_diff(bilingual, client, editor, original):
    """Once the original changes, its translation says so and links to what changed."""
    client.force_login(editor)
    client.post(translate_url(original), {"language": "fr"})
    french = Article.objects.get(translation_of=original)
    french.title = "Pourparlers à Londres"
    french.save()
    page = client.get(change_url(original)).text
    assert "Pourparlers à Londres" in page and "Draft" in page
    assert "Up to date" in page and changes_url(french) not in page
    original.body = "The talks began at ten."
    original.save()
    page = client.get(change_url(original)).text
    assert "Out of date" in page and changes_url(french) in page
    changes = client.get(changes_url(french)).text
    assert "<del>nine</del>" in changes and "<ins>ten</ins>" in changes


def test_marking_up_to_date(bilingual, client, editor, original):
    client.force_login(editor)
    client.post(translate_url(original), {"language": "fr"})
    french = Article.objects.get(translation_of=original)
    original.standfirst = "Ministers met again."
    original.save()
    listed = client.get("/admin/articles/article/?translation=out_of_date").text
    assert change_url(french) in listed
    response = client.post(up_to_date_url(french))
    assert response.status_code == 302
    french.refresh_from_db()
    assert french.translation_source["standfirst"] == "Ministers met again."
    assert "Out of date" not in client.get(change_url(original)).text
    listed = client.get("/admin/articles/article/?translation=out_of_date").text
    assert change_url(french) not in listed
    assert change_url(french) in client.get("/admin/articles/article/?translation=up_to_date").text
    unknown = make_article(title="Sans source", language="fr", translation_of=make_article())
    listed = client.get("/admin/articles/article/?translation=out_of_date").text
    assert change_url(unknown) in listed and change_url(french) not in listed


def test_the_list_shows_and_filters_by_language(bilingual, client, editor, original):
    french = make_article(title="Un article", language="fr", translation_of=original)
    client.force_login(editor)
    listed = client.get("/admin/articles/article/?language=fr").text
    assert "français" in listed
    assert change_url(french) in listed and change_url(original) not in listed


def test_only_who_may_edit_the_original_translates_it(bilingual, client, writer, original):
    """A writer cannot translate a published article (nor another's draft): refused, no draft."""
    client.force_login(writer)
    others = draft_by(staff("walter", WRITERS), title="Walter's draft")
    for article in (original, others):
        response = client.post(translate_url(article), {"language": "fr"})
        assert response.status_code == 403
    assert not Article.objects.filter(language="fr").exists()
    assert f'action="{translate_url(original)}"' not in client.get(change_url(original)).text


def test_only_who_may_edit_the_translation_marks_it(bilingual, client, writer, editor, original):
    french = make_article(title="Un article", language="fr", translation_of=original,
                          translation_source={"title": "old"})  # fmt: skip
    client.force_login(writer)
    assert client.post(up_to_date_url(french)).status_code == 403
    french.refresh_from_db()
    assert french.translation_source == {"title": "old"}


@pytest.mark.parametrize(
    "path",
    ["99999999999999999999/translate/", "0/translation-up-to-date/",
     "99999999999999999999/translation-changes/"],
)  # fmt: skip
def test_forged_ids_are_not_found(bilingual, client, editor, path):
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{path}", {"language": "fr"})
    assert response.status_code == 404


def test_words_for_ids_are_refused(bilingual, client, editor, original):
    """Not an id: the admin's own “no such article” answer, and nothing made."""
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/abc/translate/", {"language": "fr"}, follow=True
    )
    assert response.status_code == 200 and "doesn’t exist" in response.text
    assert not Article.objects.filter(language="fr").exists()


def test_another_writers_draft_is_not_translated(bilingual, client, writer):
    """Its id is a number like any other: the answer is a refusal, not a copy of it."""
    hidden = draft_by(staff("walter", WRITERS), title="Walter's hidden draft")
    client.force_login(writer)
    assert client.post(translate_url(hidden), {"language": "fr"}).status_code == 403
    assert client.get(changes_url(hidden)).status_code == 403
    assert not Article.objects.filter(language="fr").exists()


def test_up_to_date_of_an_original_is_not_found(bilingual, client, editor, original):
    client.force_login(editor)
    assert client.post(up_to_date_url(original)).status_code == 404
    assert client.get(changes_url(original)).status_code == 404


def test_a_writer_limited_to_french(bilingual, client, writer):
    """Translates into French only, and saves no article in English."""
    TranslatorLanguages.objects.create(user=writer, languages=["fr"])
    own = draft_by(writer, title="My draft", language="fr")
    english = draft_by(writer, title="An English draft")
    client.force_login(writer)
    form = client.get(change_url(own)).text
    select = re.search(r'<select name="language".*?</select>', form, re.S)[0]
    assert '<option value="fr"' in select and '<option value="en-gb"' not in select
    response = client.post(change_url(own), form_data(own, language="en-gb", title="Changed"))
    assert response.status_code == 200
    own.refresh_from_db()
    assert (own.language, own.title) == ("fr", "My draft")
    response = client.post(change_url(english), form_data(english, language="en-gb", title="x"))
    assert response.status_code == 200
    english.refresh_from_db()
    assert english.title == "An English draft"
    assert client.post(translate_url(own), {"language": "en-gb"}).status_code == 403
    response = client.post(translate_url(english), {"language": "fr"})
    assert response.status_code == 302
    assert Article.objects.get(translation_of=english).language == "fr"


def test_an_unlimited_writer_saves_in_any_language(bilingual, client, writer):
    own = draft_by(writer, title="My draft")
    client.force_login(writer)
    response = client.post(change_url(own), form_data(own, language="fr", title="Mon brouillon"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.language, own.title) == ("fr", "Mon brouillon")


def test_a_translation_keeps_out_of_its_originals_language(bilingual, client, editor, original):
    french = make_article(title="Un article", language="fr", translation_of=original,
                          status="draft", published_at=None)  # fmt: skip
    client.force_login(editor)
    response = client.post(change_url(french), form_data(french, language="en-gb"))
    assert response.status_code == 200
    french.refresh_from_db()
    assert french.language == "fr"


def test_the_language_is_not_on_a_single_language_form(client, editor, original):
    """A site of one language: no language select, no translation panel, the form as it was."""
    client.force_login(editor)
    page = client.get(change_url(original)).text
    assert 'name="language"' not in page and "translation-group" not in page
    assert client.post(translate_url(original), {"language": "fr"}).status_code == 400
    response = client.post(change_url(original), form_data(original, title="Still saved"))
    assert response.status_code == 302


def test_the_language_select_on_several_languages(bilingual, client, editor, original):
    client.force_login(editor)
    page = client.get(change_url(original)).text
    assert '<select name="language"' in page and "français" in page
    assert "Translate into français" in page


def test_translated_quotes_show_their_original_words(bilingual, client, editor, original):
    client.force_login(editor)
    client.post(translate_url(original), {"language": "fr"})
    french = Article.objects.get(translation_of=original)
    page = client.get(change_url(french)).text
    assert 'name="quotes-0-original_text"' in page and "Translated from British English" in page


def test_vocabulary_translations_are_saved(bilingual, client, editor):
    """Role and description in French, in ``translations``; empty fields leave none."""
    client.force_login(editor)
    person = make_person(name="Ann Minister", role="Foreign Secretary")
    url = reverse("admin:articles_person_change", args=[person.pk])
    page = client.get(url).text
    assert "Current role (français)" in page and 'name="translations"' not in page
    data = {"name": person.name, "slug": person.slug, "role": person.role,
            "organisation": "", "description": "",
            "role__fr": " ministre  des Affaires étrangères ", "description__fr": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.translations == {"fr": {"role": "ministre des Affaires étrangères"}}
    assert person.translated("role", "fr") == ("ministre des Affaires étrangères", "fr")
    data["role__fr"] = ""
    client.post(url, data)
    person.refresh_from_db()
    assert person.translations == {}


def test_event_and_tag_translations_are_saved(bilingual, client, editor, original):
    client.force_login(editor)
    event = Event.objects.first()
    url = reverse("admin:articles_event_change", args=[event.pk])
    data = {"name": event.name, "slug": event.slug, "starts_on": "2025-05-19", "ends_on": "",
            "date_precision": "day", "location": "London", "description": "", "url": "",
            "status": "scheduled", "name__fr": "Sommet", "location__fr": "Londres",
            "description__fr": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.translations == {"fr": {"name": "Sommet", "location": "Londres"}}
    tag = original.tags.get(name="Ukraine")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    assert "Name (français)" in client.get(url).text
    data = {"name": tag.name, "slug": tag.slug, "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0", "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1", "profile-0-description": "",
            "profile-0-name__fr": "L'Ukraine", "profile-0-description__fr": "Le pays."}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:3000]
    assert TagProfile.objects.get(tag=tag).translations == {
        "fr": {"name": "L'Ukraine", "description": "Le pays."}
    }


def test_vocabulary_forms_are_unchanged_on_one_language(client, editor):
    client.force_login(editor)
    person = make_person()
    page = client.get(reverse("admin:articles_person_change", args=[person.pk])).text
    assert "(français)" not in page and 'name="translations"' not in page


def test_languages_of_a_writer_are_set_on_their_account(bilingual, client, admin_user, writer):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[writer.pk])
    page = client.get(url).text
    assert "languages they may write articles in" in page.lower()


def test_saving_a_person_renews_the_pages_showing_them(bilingual, client, editor, original):
    """Saved with its translations, a person's page is renewed as any save of them renews it."""
    person = original.quotes.get().speaker
    person.role = "Foreign Secretary"
    person.save()
    speaker_page = f"/people/{person.slug}/"
    assert "Foreign Secretary" in client.get(speaker_page).text  # now in the page cache
    client.force_login(editor)
    data = {"name": person.name, "slug": person.slug, "role": "Home Secretary",
            "organisation": person.organisation, "description": "",
            "role__fr": "ministre de l'Intérieur", "description__fr": ""}  # fmt: skip
    response = client.post(reverse("admin:articles_person_change", args=[person.pk]), data)
    assert response.status_code == 302
    client.logout()
    assert "Home Secretary" in client.get(speaker_page).text
    person.refresh_from_db()
    assert person.translated("role", "fr") == ("ministre de l'Intérieur", "fr")


def test_the_group_hides_another_writers_draft(bilingual, client, writer, original):
    """A writer opening a published original sees that a French draft exists, not its words."""
    other = staff("walter", WRITERS)
    hidden = draft_by(other, title="Walter's secret headline", language="fr",
                      translation_of=original)  # fmt: skip
    client.force_login(writer)
    page = client.get(change_url(original))
    assert page.status_code == 200
    assert "Walter's secret headline" not in page.text and change_url(hidden) not in page.text
    assert "français" in page.text
