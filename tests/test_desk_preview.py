"""The preview pane's endpoint: the form's text through the public page's templates, unstored."""

import json
import re

import pytest
from django.urls import reverse

from articles import limits
from articles.models import Article, ArticleRendering, Autosave
from tests.factories import make_article, make_person, make_quote
from tests.test_editorial import draft_by

pytestmark = pytest.mark.django_db

NEW_PREVIEW_URL = reverse("admin:articles_article_preview_pane_new")


def preview_url(article):
    return reverse("admin:articles_article_preview_pane", args=[article.pk])


def story(html):
    """The story of an article page: its body and its quotes, as readers get them."""
    body = re.search(r'<div class="body">.*?</div>', html, re.S).group(0)
    quotes = re.search(r'<section class="quotes".*?</section>', html, re.S)
    return body, quotes.group(0) if quotes else None


def form_values(article, **changes):
    """What the form's script sends for ``article`` unchanged, with ``changes``."""
    quotes = [
        {
            "id": q.pk,
            "speaker": q.speaker_id,
            "role": q.role,
            "text": q.text,
            "position": q.position,
        }
        for q in article.quotes.all()
    ]
    values = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "dateline": article.dateline,
        "lead_image_alt": article.lead_image.alt if article.lead_image else "",
        "lead_image_caption": article.lead_image.caption if article.lead_image else "",
        "lead_image_credit": article.lead_image.credit if article.lead_image else "",
        "tags": [tag.pk for tag in article.tags.all()],
        "new_tags": "",
        "quotes": json.dumps(quotes),
    }
    values.update(changes)
    return values


@pytest.fixture
def story_article():
    article = make_article(
        tags=["Defence"],
        body="First paragraph with [a link](https://example.org/).\n\n## Next\n\n- one\n- two",
    )
    make_quote(article, make_person(name="David Lammy"), text="We stand together.")
    make_quote(article, make_person(name="John Healey"), role="", text="Ready.")
    return article


def test_the_preview_of_an_article_unchanged_is_its_public_story(
    admin_client, client, story_article
):
    response = admin_client.post(preview_url(story_article), form_values(story_article))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    public = client.get(story_article.get_absolute_url()).content.decode()
    assert story(response.json()["html"]) == story(public)
    assert "Live preview of the text in the form, not saved" in response.json()["html"]


def test_typed_text_is_previewed_and_nothing_is_stored(admin_client, story_article):
    before = list(Article.objects.values_list())
    renderings = list(ArticleRendering.objects.values_list())
    values = form_values(
        story_article,
        title="A headline being typed",
        body="Typed **just now**.\n\n<script>alert(1)</script>",
        new_tags="Brand new tag, Sanctions",
    )
    answer = admin_client.post(preview_url(story_article), values).json()
    html = answer["html"]
    assert "<h1>A headline being typed</h1>" in html
    assert "<p>Typed <strong>just now</strong>.</p>" in html
    assert "<script>alert" not in html  # the public page's sanitizer
    assert ">Brand new tag</a>" in html
    assert list(Article.objects.values_list()) == before
    assert list(ArticleRendering.objects.values_list()) == renderings
    assert not Autosave.objects.exists()


def test_a_new_article_is_previewed_with_its_quotes_and_checklist(admin_client):
    speaker = make_person(name="Kaja Kallas")
    quotes = [
        {"id": "", "speaker": speaker.pk, "role": "High Representative", "text": "Yes.",
         "position": "1"},
        {"id": "", "speaker": "", "role": "", "text": "Who said this?", "position": "2"},
    ]  # fmt: skip
    values = {"title": "Summit moved", "body": "One two three.", "quotes": json.dumps(quotes)}
    answer = admin_client.post(NEW_PREVIEW_URL, values).json()
    assert "Kaja Kallas</a>, High Representative" in answer["html"]
    assert "Who said this?" not in answer["html"]  # not on the page until it has a speaker
    assert "quote 2 has none" in answer["checklist"]
    assert answer["words"] == 3 and answer["minutes"] == 1
    assert not Article.objects.exists()


def test_the_checklist_and_counts_show_on_the_form_before_any_script(admin_client):
    article = make_article(body="word " * 460, standfirst="", dateline="")
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    html = html.decode()
    assert 'id="desk-checklist"' in html
    assert '<span id="desk-words">460</span> words · <span id="desk-minutes">2</span>' in html
    assert 'data-check="standfirst" data-level="error"' in html
    assert 'data-check="dateline" data-level="warning"' in html


def test_the_preview_frame_runs_no_script(admin_client):
    """The pane shows the page through srcdoc, in a sandbox that allows no script at all."""
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    frame = re.search(r'<iframe id="desk-preview-frame"[^>]*>', html).group(0)
    assert 'sandbox="allow-same-origin"' in frame and "allow-scripts" not in frame


def test_a_writer_previews_only_what_they_may_edit(client, writer, editor):
    others = draft_by(editor, title="Edna's draft")
    own = draft_by(writer, title="Wendy's draft")
    client.force_login(writer)
    refused = client.post(preview_url(others), {"title": "x"})
    assert refused.status_code == 403 and b"Edna" not in refused.content
    assert client.post(preview_url(make_article())).status_code == 403  # published: editors'
    assert client.post(preview_url(own), {"title": "Mine"}).status_code == 200
    assert client.get(preview_url(own)).status_code == 405
    assert (
        client.post(reverse("admin:articles_article_preview_pane", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"body": "x" * (limits.MAX_BODY_CHARS + 1)}, "body"),
        ({"quotes": "{not json"}, "JSON"),
        ({"tags": ["abc"]}, "tags"),
        ({"new_tags": "y" * 101}, "tag may be at most"),
    ],
)
def test_bad_input_is_a_clear_refusal(admin_client, values, message):
    response = admin_client.post(NEW_PREVIEW_URL, values)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_the_public_page_says_how_long_the_story_takes_to_read(client):
    article = make_article(standfirst="Two words.", body="word " * 688)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="reading-time">3 min read</span>' in html
