"""A crash half-way through any save leaves nothing half-written: all of it, or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles import importer, services, vocabulary
from articles.models import Article, ArticleEvent, Correction, Person, Quote, TaggedArticle
from tests.factories import make_article, make_person, make_quote
from tests.images import picture_bytes
from tests.test_admin import article_form_data
from tests.test_editorial import form_data

pytestmark = pytest.mark.django_db


class PowerCut(Exception):
    """The failure injected half-way through a save."""


def fail_on(monkeypatch, model, method="save", after=0):
    """Make ``model.method`` raise PowerCut once it has run ``after`` times."""
    original = getattr(model, method)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) > after:
            raise PowerCut(f"{model.__name__}.{method} failed")
        return original(*args, **kwargs)

    monkeypatch.setattr(model, method, failing)
    return calls


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def two_quotes(speaker):
    data = {"quotes-TOTAL_FORMS": "2"}
    for index in range(2):
        data.update(
            {
                f"quotes-{index}-speaker": str(speaker.pk),
                f"quotes-{index}-role": "Minister",
                f"quotes-{index}-text": f"Quote number {index + 1}.",
                f"quotes-{index}-position": str(index + 1),
            }
        )
    return data


def test_a_new_article_whose_second_quote_fails_is_not_saved_at_all(
    editor_client, monkeypatch, media_root
):
    speaker = make_person()
    fail_on(monkeypatch, Quote, after=1)  # the article and its first quote are written
    data = article_form_data(
        **two_quotes(speaker),
        lead_image=SimpleUploadedFile("p.jpg", picture_bytes("JPEG", (1200, 800))),
        lead_image_alt="A picture",
    )
    with pytest.raises(PowerCut):
        editor_client.post(reverse("admin:articles_article_add"), data)
    assert not Article.objects.exists()
    assert not Quote.objects.exists() and not TaggedArticle.objects.exists()
    assert not Version.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()], "no orphaned picture files"


def test_a_change_whose_quote_fails_leaves_the_article_as_it_was(editor_client, monkeypatch):
    article = make_article(title="The headline before", tags=["Ukraine"])
    speaker = make_person()
    make_quote(article, speaker=speaker, text="The only quote.")
    version_before = Article.objects.get().edit_version
    fail_on(monkeypatch, Quote)
    data = form_data(
        article,
        title="The headline after",
        new_tags="Sanctions",
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-speaker": str(speaker.pk),
            "quotes-0-text": "A new quote.",
            "quotes-0-position": "2",
        },
    )
    with pytest.raises(PowerCut):
        editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    article = Article.objects.get()
    assert article.title == "The headline before"
    assert article.edit_version == version_before
    assert [q.text for q in article.quotes.all()] == ["The only quote."]
    assert [tag.name for tag in article.tags.all()] == ["Ukraine"]


def test_an_import_failing_at_its_event_links_saves_nothing(monkeypatch):
    path = "tests/data/uk-eu-talks-18-march.txt"
    with open(path, "rb") as source:
        proposal = importer.analyse(importer.read_text(source.read()))
    assert proposal.quotes and proposal.events
    fail_on(monkeypatch, ArticleEvent)  # written after the article, its tags and quotes
    with pytest.raises(PowerCut):
        importer.save_proposal(proposal)
    assert not Article.objects.exists() and not Quote.objects.exists()
    assert not Person.objects.exists() and not Tag.objects.exists()


def test_a_correction_whose_article_save_fails_is_not_recorded(monkeypatch, admin_user):
    article = make_article()
    fail_on(monkeypatch, Article)
    with pytest.raises(PowerCut):
        services.add_correction(article, "A name was misspelt.", admin_user)
    assert not Correction.objects.exists()


def test_a_merge_failing_half_way_moves_nothing(monkeypatch, admin_user):
    kyiv, kiev = make_article(tags=["Kyiv"]), make_article(tags=["Kiev"])
    keep, drop = Tag.objects.get(name="Kyiv"), Tag.objects.get(name="Kiev")
    fail_on(monkeypatch, Tag, method="delete")  # the last step: the taggings have moved
    with pytest.raises(PowerCut):
        vocabulary.merge(keep, [keep, drop], admin_user)
    assert [t.name for t in kiev.tags.all()] == ["Kiev"]
    assert [t.name for t in kyiv.tags.all()] == ["Kyiv"]
    assert Tag.objects.count() == 2
