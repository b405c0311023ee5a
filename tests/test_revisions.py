"""Revisions: every save is kept, compared and restorable; a stale save is refused."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Quote
from articles.roles import EDITORS
from tests.factories import make_article, make_person, make_quote, make_user
from tests.test_editorial import change_url, form_data

pytestmark = pytest.mark.django_db


def editor_named(username, first_name):
    user = make_user(username, is_staff=True, first_name=first_name, last_name="Editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def ann():
    return editor_named("ann", "Ann")


@pytest.fixture
def bob():
    return editor_named("bob", "Bob")


@pytest.fixture
def article():
    article = make_article(title="Talks resume", tags=["Ukraine"])
    make_quote(article, make_person(name="David Lammy"), text="We stand together.")
    return article


def save_through_admin(client, user, article, **changes):
    client.force_login(user)
    data = form_data(article, **changes)
    quotes = list(article.quotes.all())
    data.update({"quotes-TOTAL_FORMS": str(len(quotes)), "quotes-INITIAL_FORMS": str(len(quotes))})
    for n, quote in enumerate(quotes):
        data.update(
            {
                f"quotes-{n}-id": str(quote.pk),
                f"quotes-{n}-article": str(article.pk),
                f"quotes-{n}-speaker": str(quote.speaker_id),
                f"quotes-{n}-role": quote.role,
                f"quotes-{n}-text": changes.get(f"quote_{n}", quote.text),
                f"quotes-{n}-position": str(quote.position),
            }
        )
    return client.post(change_url(article), data)


def test_every_admin_save_is_a_revision_with_its_quotes(client, ann, article):
    save_through_admin(client, ann, article, title="Talks resume in London")
    article.refresh_from_db()
    save_through_admin(client, ann, article, quote_0="We stand firmly together.")
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    latest = versions.first()
    assert latest.revision.user == ann
    quote_versions = latest.revision.version_set.filter(content_type__model="quote")
    assert [v.field_dict["text"] for v in quote_versions] == ["We stand firmly together."]


def test_history_lists_revisions_and_compare_shows_a_readable_diff(client, ann, article):
    save_through_admin(client, ann, article, title="Talks resume in London")
    article.refresh_from_db()
    save_through_admin(client, ann, article, title="Talks resume in Brussels", quote_0="We differ.")
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200
    assert "with the one before" in history.content.decode()

    older, newer = reversed(Version.objects.get_for_object(article))
    url = reverse("admin:articles_article_compare", args=[article.pk])
    html = client.get(f"{url}?from={older.pk}&to={newer.pk}").content.decode()
    assert "Talks resume in <del>London</del><ins>Brussels</ins>" in html
    assert "<del>stand together</del><ins>differ</ins>" in html.replace("”", "")


def test_compare_a_revision_with_the_article_as_it_is_now(client, ann, article):
    save_through_admin(client, ann, article, title="First headline")
    version = Version.objects.get_for_object(article).first()
    Article.objects.filter(pk=article.pk).update(title="Second headline")
    url = reverse("admin:articles_article_compare", args=[article.pk])
    html = client.get(f"{url}?from={version.pk}&to=current").content.decode()
    assert "<del>First</del><ins>Second</ins> headline" in html


def test_an_editor_restores_an_earlier_revision_with_its_quotes(client, ann, article):
    save_through_admin(client, ann, article, title="Original headline")
    original = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    save_through_admin(client, ann, article, title="Botched headline", quote_0="Misquoted.")
    article.refresh_from_db()
    assert article.title == "Botched headline"

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, original.pk])
    form = client.get(revision_url)
    assert form.status_code == 200
    assert "Original headline" in form.content.decode()
    data = form_data(Article.objects.get(pk=article.pk), title="Original headline")
    data["base_version"] = form.context["adminform"].form["base_version"].value()
    quote = Quote.objects.get(article=article)
    data.update(
        {
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": str(quote.pk),
            "quotes-0-article": str(article.pk),
            "quotes-0-speaker": str(quote.speaker_id),
            "quotes-0-role": quote.role,
            "quotes-0-text": "We stand together.",
            "quotes-0-position": "1",
        }
    )
    response = client.post(revision_url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original headline"
    assert article.quotes.get().text == "We stand together."


def test_a_stale_save_is_refused_and_nothing_is_lost(client, ann, bob, article):
    """Ann and Bob open the same article; Bob saves first; Ann's stale save is refused."""
    save_through_admin(client, ann, article)  # a first revision, as any edited article has
    article.refresh_from_db()
    opened_by_both = form_data(article)["base_version"]

    bob_client = client.__class__()
    save_through_admin(
        bob_client, bob, article, title="Bob's headline", base_version=opened_by_both
    )

    response = save_through_admin(
        client, ann, article, body="Ann's new paragraph.", base_version=opened_by_both
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bob Editor saved this article at" in html
    assert "They changed: Headline" in html
    assert (
        "Ann&#x27;s new paragraph." in html or "Ann's new paragraph." in html
    )  # still in the form
    article.refresh_from_db()
    assert article.title == "Bob's headline"  # Bob's work is kept
    assert article.body != "Ann's new paragraph."

    # Having seen what changed, Ann saves again and her text goes in.
    resubmitted = response.context["adminform"].form["base_version"].value()
    response = save_through_admin(
        client, ann, article, title="Bob's headline", body="Ann's new paragraph.",
        base_version=resubmitted,
    )  # fmt: skip
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("Bob's headline", "Ann's new paragraph.")


def test_an_unchanged_article_compares_as_unchanged(client, ann, article):
    """Event links listed in another order must not read as a change."""
    from articles import diff
    from tests.factories import link_event, make_event

    link_event(article, make_event(name="Zeta Summit"))
    link_event(article, make_event(name="Alpha Forum"), kind="previews")
    save_through_admin(client, ann, article)
    version = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    changed = diff.changed_parts(
        diff.snapshot_of_version(version), diff.snapshot_of_article(article)
    )
    assert changed == []
