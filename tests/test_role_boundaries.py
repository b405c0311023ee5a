"""
Role boundaries around revisions, the admin's “view on site” shortcut and API tokens:
a restore writes only the article it is made through, and only what the user may write;
no admin address hands out another writer's draft or share link; an API token acts only
for someone its creator may act for.
"""

import contextlib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import SHARE_SALT, ApiToken, Article, Quote, ShareLink
from tests.factories import make_article, make_person, make_quote, make_user
from tests.test_editorial import EDITORS, draft_by, form_data, staff

pytestmark = pytest.mark.django_db


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def save_in_admin(client, user, article, **changes):
    client.force_login(user)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return response


# Restoring revisions


def test_a_quote_version_with_the_article_s_id_restores_nothing(client, writer, editor):
    """The reported case: a writer names, under their own draft, a version of another
    article's quote that happens to carry the draft's id, and so republished that article."""
    mine = draft_by(writer, title="My own draft")
    theirs = make_article(title="Published, later withdrawn", tags=["Ukraine"])
    # A quote of the other article whose id is the draft's id, as happens by chance.
    Quote.objects.filter(pk=mine.pk).delete()
    make_quote(theirs, make_person(), pk=mine.pk, position=1)
    services.publish(theirs, editor)  # a revision with the article and its quote
    services.unpublish(theirs, editor)
    quote_version = Version.objects.get_for_model(Quote).filter(object_id=str(mine.pk)).first()
    assert quote_version is not None

    client.force_login(writer)
    url = revision_url(mine, quote_version)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(mine, title="Mine again")).status_code == 404
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == Article.Status.DRAFT
    assert mine.title == "My own draft"


def test_restoring_a_bulk_revision_through_one_article_leaves_the_others(client, writer, editor):
    """A bulk action saves one revision holding several articles; restoring it through
    the writer's draft restored the editor's article too, republishing it."""
    mine = draft_by(writer, title="My draft", standfirst="A standfirst.")
    theirs = make_article(title="The editor's story", tags=["Ukraine"])
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "add_tag_to_selected",
            "_selected_action": [mine.pk, theirs.pk],
            "tag_name": "Sanctions",
        },
    )
    assert response.status_code == 302
    bulk = Version.objects.get_for_object(mine).first().revision
    assert bulk.version_set.filter(content_type__model="article").count() == 2
    theirs.refresh_from_db()
    save_in_admin(client, editor, theirs, title="The editor's corrected story")
    services.unpublish(theirs, editor)

    client.force_login(writer)
    mine.refresh_from_db()
    url = revision_url(mine, Version.objects.get_for_object(mine).get(revision=bulk))
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(mine, title="My draft, restored"))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "The editor's corrected story"
    assert theirs.status == Article.Status.DRAFT
    mine.refresh_from_db()
    assert mine.title == "My draft, restored"
    assert "Sanctions" in mine.tags.names()


def test_a_version_of_another_article_is_refused_under_one_s_own(client, writer, other_writer):
    mine = draft_by(writer, title="Mine")
    theirs = draft_by(other_writer, title="Walter's secret draft")
    services.submit_for_review(theirs, other_writer)
    version = Version.objects.get_for_object(theirs).first()
    client.force_login(writer)
    for method in (client.get, client.post):
        response = method(revision_url(mine, version))
        assert response.status_code == 404
        assert b"secret draft" not in response.content
    assert client.post(revision_url(theirs, version), form_data(theirs)).status_code == 404
    assert Article.objects.get(pk=theirs.pk).status == Article.Status.IN_REVIEW


def test_a_writer_cannot_restore_a_published_article(client, writer, editor):
    article = draft_by(writer, title="Draft headline", standfirst="A standfirst.")
    save_in_admin(client, writer, article, title="Draft headline")
    early = Version.objects.get_for_object(article).first()
    services.publish(article, editor)
    client.force_login(writer)
    assert client.get(revision_url(article, early)).status_code == 404
    response = client.post(revision_url(article, early), form_data(article, status="draft"))
    assert response.status_code == 404
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_a_writer_cannot_restore_away_an_editor_s_correction(client, writer, editor):
    article = draft_by(writer, title="Draft headline", standfirst="A standfirst.")
    save_in_admin(client, writer, article)
    before_correction = Version.objects.get_for_object(article).first()
    data = form_data(article)
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text": "The minister's name was misspelt.",
            "corrections-0-published_at_0": "01/03/2025",
            "corrections-0-published_at_1": "10:00:00",
        }
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(url, data).status_code == 302
    assert article.corrections.count() == 1

    client.force_login(writer)
    article.refresh_from_db()
    response = client.post(revision_url(article, before_correction), form_data(article))
    assert response.status_code == 403
    assert article.corrections.count() == 1


def test_recover_takes_only_deleted_articles_and_versions_of_articles(client, editor):
    live = make_article(title="Still here", tags=["Ukraine"])
    make_quote(live, make_person())
    services.unpublish(live, editor)
    quote_version = Version.objects.get_for_model(Quote).first()
    live_version = Version.objects.get_for_object(live).first()
    client.force_login(editor)
    for version in (quote_version, live_version):
        url = reverse("admin:articles_article_recover", args=[version.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(live, title="Overwritten")).status_code == 404
    live.refresh_from_db()
    assert live.title == "Still here"

    gone = make_article(title="Deleted by mistake", tags=["Ukraine"])
    services.unpublish(gone, editor)
    version = Version.objects.get_for_object(gone).first()
    gone.delete()
    url = reverse("admin:articles_article_recover", args=[version.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Deleted by mistake" in response.content.decode()


def test_an_editor_recovers_a_deleted_article_with_its_quotes(client, editor):
    article = make_article(title="Deleted by mistake", tags=["Ukraine"])
    quote = make_quote(article, make_person(), text="Words worth keeping.")
    services.unpublish(article, editor)
    version = Version.objects.get_for_object(article).first()
    data = form_data(article)  # the recover form, as the editor posts it back
    data.update(
        {
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": str(quote.pk),
            "quotes-0-article": str(article.pk),
            "quotes-0-speaker": str(quote.speaker_id),
            "quotes-0-role": quote.role,
            "quotes-0-text": quote.text,
            "quotes-0-position": "1",
        }
    )
    pk = article.pk
    article.delete()
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_recover", args=[version.pk]), data)
    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert recovered.title == "Deleted by mistake"
    assert recovered.quotes.get().text == "Words worth keeping."


def test_compare_takes_only_versions_of_the_article_itself(client, writer, other_writer):
    mine = draft_by(writer, title="Mine")
    services.submit_for_review(mine, writer)
    theirs = draft_by(other_writer, title="Walter's secret draft")
    services.submit_for_review(theirs, other_writer)
    client.force_login(writer)
    compare = reverse("admin:articles_article_compare", args=[mine.pk])
    for version in Version.objects.get_for_object(theirs):
        response = client.get(compare, {"from": version.pk, "to": "current"})
        assert response.status_code == 404
        assert b"secret draft" not in response.content
    theirs_compare = reverse("admin:articles_article_compare", args=[theirs.pk])
    assert client.get(theirs_compare).status_code == 403


# The admin's "view on site" shortcut


def shortcut(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def shared_keys(text):
    """The share links named in ``text`` (each signed token is made afresh, with the time)."""
    keys = set()
    for token in re.findall(r"/share/([^/\"'\s<>]+)/", text):
        with contextlib.suppress(signing.BadSignature):
            keys.add(signing.loads(token, salt=SHARE_SALT))
    return keys


def test_view_on_site_gives_no_other_writer_s_draft_or_share_link(client, writer, other_writer):
    draft = draft_by(other_writer, title="Walter's secret draft", slug="walters-secret")
    link = ShareLink.objects.create(article=draft, note="for legal")
    client.force_login(writer)
    for obj in (draft, link):
        response = client.get(shortcut(obj))
        assert response.status_code == 404
        location = response.get("Location", "")
        assert "walters-secret" not in location
        assert not shared_keys(location + response.content.decode())


def test_view_on_site_still_works_for_whoever_may_open_the_object(
    client, writer, other_writer, editor
):
    draft = draft_by(writer, title="My draft")
    link = ShareLink.objects.create(article=draft)
    published = make_article(tags=["Ukraine"])
    for user, obj in [(writer, link), (writer, published), (editor, link), (editor, draft)]:
        client.force_login(user)
        response = client.get(shortcut(obj))
        assert response.status_code == 302
        if obj is link:
            assert shared_keys(response["Location"]) == {str(link.key)}
        else:
            assert response["Location"].endswith(obj.get_absolute_url())
    client.force_login(other_writer)
    assert client.get(shortcut(link)).status_code == 404
    assert client.get(shortcut(published)).status_code == 302


def test_a_writer_sees_no_share_link_of_another_writer_s_published_article(
    client, writer, other_writer, editor
):
    article = draft_by(other_writer, standfirst="A standfirst.")
    link = ShareLink.objects.create(article=article)
    services.publish(article, editor)
    client.force_login(writer)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200  # published: a writer may read it
    assert not shared_keys(page.content.decode())
    client.force_login(other_writer)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert shared_keys(page.content.decode()) == {str(link.key)}


# API tokens


def user_choices(client):
    page = client.get(reverse("admin:articles_apitoken_add"))
    assert page.status_code == 200
    field = page.context["adminform"].form.fields["user"]
    return {user.username for user in field.queryset}


def test_an_editor_makes_tokens_only_for_themselves_and_writers(client, writer, editor):
    boss = make_user("boss", is_staff=True, is_superuser=True)
    peer = staff("ed2", EDITORS)
    client.force_login(editor)
    assert user_choices(client) == {"edna", "wendy"}
    for target in (boss, peer):
        response = client.post(
            reverse("admin:articles_apitoken_add"), {"name": "Feed", "user": target.pk}
        )
        assert response.status_code == 200  # the form again, with its error
        assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()
    for target in (writer, editor):
        response = client.post(
            reverse("admin:articles_apitoken_add"), {"name": "Feed", "user": target.pk}
        )
        assert response.status_code == 302
    assert set(ApiToken.objects.values_list("user__username", flat=True)) == {"wendy", "edna"}


def test_a_superuser_makes_tokens_for_anyone_on_staff(client, writer, editor):
    boss = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(boss)
    assert user_choices(client) == {"boss", "edna", "wendy"}


# Staff accounts


def test_a_writer_picks_co_authors_but_opens_no_one_else_s_account(client, writer, editor):
    boss = make_user("boss", is_superuser=True, email="boss@example.org")
    client.force_login(writer)
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "ed", "app_label": "articles", "model_name": "article", "field_name": "authors"},
    )
    assert found.status_code == 200
    assert [result["text"] for result in found.json()["results"]] == ["edna"]
    by_address = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "boss@",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "authors",
        },
    )
    assert by_address.json()["results"] == []  # no way to confirm a guessed e-mail address
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[boss.pk]),
        reverse("admin:auth_user_change", args=[editor.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"boss@example.org" not in response.content
    assert client.get(reverse("admin:auth_user_change", args=[writer.pk])).status_code == 200
    assert b"auth/user/" not in client.get(reverse("admin:index")).content


def test_an_account_manager_still_lists_and_opens_accounts(admin_client, writer):
    assert admin_client.get(reverse("admin:auth_user_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:auth_user_change", args=[writer.pk]))
    assert page.status_code == 200


def test_a_revision_quoting_someone_since_deleted_is_refused_with_a_message(client, editor):
    article = make_article(title="Who said it", tags=["Ukraine"])
    speaker = make_person(name="Since Deleted")
    quote = make_quote(article, speaker, text="Words of someone now gone.")
    services.unpublish(article, editor)  # a revision with the quote
    version = Version.objects.get_for_object(article).first()
    quote.delete()
    speaker.delete()
    article.refresh_from_db()
    client.force_login(editor)
    url = revision_url(article, version)
    for response in (
        client.get(url, follow=True),
        client.post(url, form_data(article), follow=True),
    ):
        assert response.status_code == 200
        assert "the person its quote refers to has been deleted since" in response.content.decode()
    assert not article.quotes.exists()
    assert Article.objects.get(pk=article.pk).edit_version == article.edit_version
