"""The editors' newsroom: roles, workflow, scheduling, previews and share links."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ShareLink
from articles.roles import EDITORS, WRITERS
from tests.factories import empty_article_inlines, make_article, make_user

pytestmark = pytest.mark.django_db


def staff(username, role):
    user = make_user(username, is_staff=True, first_name=username.title())
    user.groups.add(Group.objects.get(name=role))
    return user


def draft_by(user, **fields):
    fields = {"status": Article.Status.DRAFT, "published_at": None, "tags": ["Ukraine"], **fields}
    article = make_article(**fields)
    article.created_by = user
    article.save()
    return article


def login(client, user):
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **overrides):
    """The article form as the browser would post it back unchanged."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "tags": [str(tag.pk) for tag in article.tags.all()],
        "new_tags": "",
        "status": article.status,
        "dateline": article.dateline,
        **lead_image_data(article),
        "base_version": str(article.edit_version),
    }
    if article.published_at:
        local = timezone.localtime(article.published_at)
        data["published_at_0"] = local.strftime("%d/%m/%Y")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    data.update(empty_article_inlines())
    data.update(overrides)
    return data


def lead_image_data(article):
    """The lead-image fields of the article form as shown for ``article``."""
    picture = article.lead_image
    return {
        "lead_image": str(picture.pk) if picture else "",
        "lead_image_alt": picture.alt if picture else "",
        "lead_image_caption": picture.caption if picture else "",
        "lead_image_credit": picture.credit if picture else "",
        "lead_image_texts_of": str(picture.pk) if picture else "",
    }


# Roles


def test_migrate_creates_the_two_roles():
    writers = {p.codename for p in Group.objects.get(name=WRITERS).permissions.all()}
    editors = {p.codename for p in Group.objects.get(name=EDITORS).permissions.all()}
    assert "publish_article" in editors and "publish_article" not in writers
    assert {"add_article", "change_article"} <= writers


@pytest.mark.parametrize(
    ("who", "article_status", "owner", "can_open", "can_change"),
    [
        ("writer", "draft", "self", True, True),
        ("writer", "in_review", "self", True, True),
        ("writer", "published", "self", True, False),
        ("writer", "draft", "other", False, False),
        ("writer", "published", "other", True, False),
        ("editor", "draft", "other", True, True),
        ("editor", "published", "other", True, True),
    ],
)
def test_permission_matrix_for_opening_and_changing(
    client, writer, other_writer, editor, who, article_status, owner, can_open, can_change
):
    user = {"writer": writer, "editor": editor}[who]
    published_at = timezone.now() - datetime.timedelta(hours=1)
    article = draft_by(
        writer if owner == "self" else other_writer,
        status=article_status,
        published_at=published_at if article_status == "published" else None,
        standfirst="A standfirst.",
    )
    login(client, user)
    response = client.get(change_url(article))
    if not can_open:
        # Not in the writer's list at all: the admin answers as for a missing article.
        assert response.status_code in {302, 403}
        assert article.title not in response.content.decode()
    else:
        assert response.status_code == 200
        read_only = "Save and continue editing" not in response.content.decode()
        assert read_only == (not can_change)
    response = client.post(change_url(article), form_data(article, title="Changed headline"))
    article.refresh_from_db()
    assert (article.title == "Changed headline") == can_change


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    article = make_article()
    for url in [
        change_url(article),
        reverse("admin:articles_article_preview", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_writer_does_not_see_another_writers_drafts_in_the_list(client, writer, other_writer):
    draft_by(writer, title="My own draft")
    draft_by(other_writer, title="Walter's secret draft")
    html = login(client, writer).get(reverse("admin:articles_article_changelist")).content.decode()
    assert "My own draft" in html
    assert "secret draft" not in html


# Workflow


def test_a_writer_submits_a_draft_for_review(client, writer):
    article = draft_by(writer, standfirst="A standfirst.")
    login(client, writer).post(change_url(article), form_data(article, _workflow="submit"))
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.last_edited_by == writer


def test_a_writer_cannot_publish_even_by_forging_the_form(client, writer):
    article = draft_by(writer, standfirst="A standfirst.")
    login(client, writer)
    for forged in [{"status": "published"}, {"_workflow": "publish"}]:
        response = client.post(change_url(article), form_data(article, **forged))
        assert response.status_code == 200
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.publish(article, writer)


def test_an_editor_publishes_with_the_publish_button(client, editor, writer):
    article = draft_by(writer, standfirst="A standfirst.")
    response = login(client, editor).post(
        change_url(article), form_data(article, _workflow="publish")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_public
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_editor_schedules_and_the_article_appears_by_itself(client, editor, monkeypatch):
    article = draft_by(editor, standfirst="A standfirst.")
    when = timezone.localtime() + datetime.timedelta(days=1)
    data = form_data(
        article,
        status="published",
        published_at_0=when.strftime("%d/%m/%Y"),
        published_at_1=when.strftime("%H:%M:%S"),
    )
    assert login(client, editor).post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()
    monkeypatch.setattr(timezone, "now", lambda: when + datetime.timedelta(seconds=1))
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_an_editor_unpublishes(client, editor):
    article = make_article(tags=["Ukraine"])
    login(client, editor).post(change_url(article), form_data(article, _workflow="unpublish"))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"standfirst": ""}, "A published article needs a standfirst."),
        ({"tags": [], "new_tags": ""}, "A published article needs at least one tag."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_publishing_needs_headline_standfirst_and_a_tag(client, editor, missing, message):
    article = draft_by(editor, standfirst="A standfirst.")
    response = login(client, editor).post(
        change_url(article), form_data(article, _workflow="publish", **missing)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_draft_may_be_saved_without_a_standfirst_or_tags(client, writer):
    article = draft_by(writer, standfirst="")
    response = login(client, writer).post(
        change_url(article), form_data(article, tags=[], title="Work in progress")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Work in progress"


# Bulk actions


def test_bulk_publish_respects_roles_and_readiness(client, editor, writer):
    ready = draft_by(writer, title="Ready", standfirst="A standfirst.")
    not_ready = draft_by(writer, title="Not ready", standfirst="")
    changelist = reverse("admin:articles_article_changelist")
    data = {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]}

    login(client, writer).post(changelist, data)
    ready.refresh_from_db()
    assert ready.status == Article.Status.DRAFT  # writers have no such action

    response = login(client, editor).post(changelist, data, follow=True)
    ready.refresh_from_db()
    not_ready.refresh_from_db()
    assert ready.is_public
    assert not_ready.status == Article.Status.DRAFT
    assert "A published article needs a standfirst." in response.content.decode()


def test_bulk_unpublish_and_add_tag(client, editor):
    first, second = make_article(tags=["Ukraine"]), make_article(tags=["Russia"])
    changelist = reverse("admin:articles_article_changelist")
    login(client, editor).post(
        changelist,
        {
            "action": "add_tag_to_selected",
            "tag_name": "sanctions",
            "_selected_action": [first.pk, second.pk],
        },
    )
    assert {t.name for t in first.tags.all()} == {"Ukraine", "sanctions"}
    assert {t.name for t in second.tags.all()} == {"Russia", "sanctions"}
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == Article.Status.DRAFT


def test_a_writer_can_only_tag_their_own_unpublished_articles_in_bulk(client, writer, other_writer):
    mine = draft_by(writer)
    theirs = make_article(tags=["Ukraine"])  # published: not the writer's to change
    login(client, writer).post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "add_tag_to_selected",
            "tag_name": "sanctions",
            "_selected_action": [mine.pk, theirs.pk],
        },
    )
    assert "sanctions" in {t.name for t in mine.tags.all()}
    assert "sanctions" not in {t.name for t in theirs.tags.all()}


# Corrections


def test_a_correction_shows_on_the_article_and_moves_its_modified_time(client, editor):
    article = make_article(tags=["Ukraine"])
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
    services.add_correction(article, "The summit is on 19 May, not 18 May.", editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "The summit is on 19 May, not 18 May." in html
    article.refresh_from_db()
    assert article.updated_at > article.published_at
    assert "The summit is on 19 May" in client.get("/corrections/").content.decode()


# Preview and share links


def test_staff_preview_shows_an_unpublished_article_as_readers_will(client, writer):
    article = draft_by(writer, title="Not out yet", standfirst="Coming soon.")
    url = reverse("admin:articles_article_preview", args=[article.pk])
    response = login(client, writer).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Not out yet</h1>" in html
    assert "Staff preview" in html
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_writer_cannot_preview_another_writers_draft(client, writer, other_writer):
    article = draft_by(other_writer)
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert login(client, writer).get(url).status_code == 403


def test_a_share_link_is_read_only_noindex_uncached_and_expires(client, editor):
    article = draft_by(editor, title="For the lawyers", standfirst="Check this.")
    link = ShareLink.objects.create(article=article, created_by=editor)
    assert link.expires_at - timezone.now() > datetime.timedelta(hours=47)

    response = client.get(link.get_absolute_url())  # no login
    assert response.status_code == 200
    assert "<h1>For the lawyers</h1>" in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.post(link.get_absolute_url()).status_code == 405

    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_revoked_or_forged_share_link_is_not_found(client, editor):
    link = ShareLink.objects.create(article=draft_by(editor), created_by=editor)
    url = link.get_absolute_url()
    assert client.get(url.rstrip("/") + "x/").status_code == 404  # tampered signature
    link.delete()
    assert client.get(url).status_code == 404


def test_an_editor_creates_a_share_link_from_the_article_form(client, editor):
    article = draft_by(editor, standfirst="A standfirst.")
    data = form_data(
        article,
        **{
            "share_links-TOTAL_FORMS": "1",
            "share_links-0-note": "legal review",
            "share_links-0-expires_at_0": (
                timezone.localtime() + datetime.timedelta(hours=48)
            ).strftime("%d/%m/%Y"),
            "share_links-0-expires_at_1": "12:00:00",
        },
    )
    assert login(client, editor).post(change_url(article), data).status_code == 302
    link = article.share_links.get()
    assert link.note == "legal review" and link.created_by == editor


def test_publish_service_refuses_an_unready_article(editor):
    article = draft_by(editor, standfirst="")
    with pytest.raises(ValidationError):
        services.publish(article, editor)


def test_bulk_publish_refuses_a_slug_taken_that_day_without_a_500(client, editor):
    from tests.factories import make_article

    make_article(slug="same", published_at=timezone.now() - datetime.timedelta(seconds=1))
    clash = draft_by(editor, slug="same", standfirst="A standfirst.")  # no date yet
    response = login(client, editor).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [clash.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "same day already uses this slug" in response.content.decode()
    clash.refresh_from_db()
    assert clash.status == Article.Status.DRAFT


def test_editors_and_writers_can_pick_co_authors(client, writer, editor):
    for user in (writer, editor):
        response = login(client, user).get(
            "/admin/autocomplete/",
            {"term": "", "app_label": "articles", "model_name": "article", "field_name": "authors"},
        )
        assert response.status_code == 200


def test_only_editors_see_deleted_articles_to_recover(client, writer, editor):
    draft = draft_by(editor, title="Deleted draft")
    login(client, editor).post(
        reverse("admin:articles_article_delete", args=[draft.pk]), {"post": "yes"}
    )
    url = reverse("admin:articles_article_recoverlist")
    assert login(client, writer).get(url).status_code == 403
    assert login(client, editor).get(url).status_code == 200
