"""Blocks in the body: the syntax, what editors are told, what readers, feeds and the API get."""

import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.api.ninjs import article_to_ninjs, validation_problems
from articles.blocks import body as blocks
from articles.embeds.models import Embed
from articles.fragments import everything_stale
from articles.markdown import render_markdown
from articles.models import Article, Person
from tests.factories import empty_article_inlines, make_article, make_person, make_quote

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def page_body(html):
    return re.search(r'<div class="body">(.*?)</div>\s*(?:<section|<footer)', html, re.S).group(1)


# The syntax ---------------------------------------------------------------------------------


def test_a_block_line_is_read_only_at_the_top_level():
    text = (
        "Para\n::: pull-quote 1\n\n- a list\n  ::: pull-quote 2\n\n    ::: pull-quote 3\n\n"
        "```\n::: pull-quote 4\n```\n\n> ::: pull-quote 5\n"
    )
    found, problems = blocks.blocks_of(text)
    assert [(b.kind.name, b.params, b.line) for b in found] == [("pull-quote", {"position": 1}, 1)]
    assert problems == []


def test_a_body_without_blocks_renders_as_before():
    body = "First *paragraph*.\n\n## Sub\n\n- one\n- two\n\n<script>x</script>"
    article = make_article(body=body)
    assert article.body_html == render_markdown(body)
    assert article.body_items == [{"type": "text", "html": article.body_html}]


def test_descriptions_show_a_block_line_as_the_text_it_is():
    assert render_markdown("::: embed <b>x</b>") == "<p>::: embed &lt;b&gt;x&lt;/b&gt;</p>\n"


@pytest.mark.parametrize(
    ("line", "params"),
    [
        ("::: picture 12", {"picture": 12, "size": "inline", "caption": ""}),
        ('::: picture 12 wide "The family photo"',
         {"picture": 12, "size": "wide", "caption": "The family photo"}),
        ("::: picture 7 full", {"picture": 7, "size": "full", "caption": ""}),
        ("::: gallery 12 14 15", {"pictures": [12, 14, 15]}),
        ("::: pull-quote 2", {"position": 2}),
        (f"::: embed {VIDEO}", {"url": VIDEO}),
    ],
)  # fmt: skip
def test_each_kind_reads_its_arguments(line, params):
    (block,), problems = blocks.blocks_of(line)
    assert problems == [] and block.params == params


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("::: video 12", "“::: video” is not a kind of block"),
        ("::: pull-quote two", "::: pull-quote 2 (the position"),
        ("::: picture", "::: picture 12 wide"),
        ('::: picture 12 "unclosed', "quotation mark is not closed"),
        ("::: gallery 12", "from two to 24 picture numbers"),
        ("::: embed https://evil.example/x", "We embed YouTube, Vimeo, Bluesky, Mastodon"),
        ("::: embed", "the address alone"),
    ],
)
def test_a_block_that_cannot_be_read_says_how_to_write_it(line, message):
    problems = blocks.problems(f"Text.\n\n{line}", Article())
    assert len(problems) == 1
    assert problems[0].startswith("Line 3 (")
    assert message in problems[0]


def test_pictures_the_library_does_not_have_are_refused_and_shown_as_missing():
    problems = blocks.problems("::: picture 12\n\n::: gallery 3 4", Article())
    assert problems == [
        "Line 1 (“::: picture 12”): there is no picture 12 in the media library.",
        "Line 3 (“::: gallery 3 4”): the media library has no picture 3, 4.",
    ]
    article = make_article(body="::: picture 12 wide\n\n::: gallery 3 4")
    assert "Picture not available." in article.body_html
    assert "Gallery not available." in article.body_html
    assert article.body_items[0] == {
        "type": "picture", "picture": 12, "size": "wide", "caption": "", "available": False,
    }  # fmt: skip


# The pull quote, linked to its speaker ------------------------------------------------------


@pytest.fixture
def quoted():
    article = make_article(body="Intro.\n\n::: pull-quote 1\n\nMore.")
    speaker = make_person(name="David Lammy", slug="david-lammy")
    make_quote(article, speaker, role="Foreign Secretary", text="We stand together.")
    article.refresh_from_db()
    return article


def test_a_pull_quote_shows_the_words_the_speaker_and_their_role(client, quoted):
    body = page_body(client.get(quoted.get_absolute_url()).content.decode())
    assert "<blockquote><p>We stand together.</p></blockquote>" in body
    assert '<a href="/people/david-lammy/">David Lammy</a>, Foreign Secretary' in body
    assert body.index("Intro.") < body.index("We stand together.") < body.index("More.")


def test_editing_the_quote_renews_the_page_at_once(client, quoted, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = quoted.get_absolute_url()
    assert "We stand together." in client.get(url).content.decode()
    quote = quoted.quotes.get()
    quote.text = "We stand together, always."
    quote.save()
    assert "We stand together, always." in page_body(client.get(url).content.decode())
    assert (
        "always" in client.get(reverse("api:article", args=[quoted.pk])).json()["body"][1]["text"]
    )


def test_renaming_the_speaker_renews_the_pull_quote(client, quoted, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = quoted.get_absolute_url()
    client.get(url)
    person = Person.objects.get(slug="david-lammy")
    person.name, person.slug = "The Rt Hon David Lammy", "rt-hon-david-lammy"
    person.save()
    body = page_body(client.get(url).content.decode())
    assert '<a href="/people/rt-hon-david-lammy/">The Rt Hon David Lammy</a>' in body


def test_deleting_the_quote_takes_the_pull_quote_off_the_page(client, quoted):
    quoted.quotes.get().delete()
    body = page_body(client.get(quoted.get_absolute_url()).content.decode())
    assert "We stand together." not in body and "More." in body


# The editor's form --------------------------------------------------------------------------


def form_data(body, **more):
    data = {
        "title": "New headline", "slug": "new-headline", "standfirst": "What happened.",
        "body": body, "new_tags": "Ukraine", "status": "draft", "lead_image_alt": "",
        "lead_image_caption": "", "lead_image_credit": "",
    }  # fmt: skip
    data.update(empty_article_inlines())
    data.update(more)
    return data


def quote_rows(speaker, *positions):
    rows = {"quotes-TOTAL_FORMS": str(len(positions))}
    for n, position in enumerate(positions):
        rows.update({
            f"quotes-{n}-speaker": str(speaker.pk), f"quotes-{n}-role": "Minister",
            f"quotes-{n}-text": f"Quote number {position}.", f"quotes-{n}-position": str(position),
        })  # fmt: skip
    return rows


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("::: slideshow 1", "“::: slideshow” is not a kind of block"),
        ("::: pull-quote 3", "this article has no quote at position 3 (its quotes: 1, 2)"),
        ("::: embed https://evil.example/video", "is not an address we embed. We embed YouTube"),
        ("::: picture 5", "there is no picture 5 in the media library"),
        # Digits Python reads as digits but not as numbers; addresses urllib cannot split.
        ("::: pull-quote ²", "write it as “::: pull-quote 2"),
        ("::: picture ²", "write it as “::: picture 12"),
        ("::: gallery ² ³", "write it as “::: gallery 12 14 15"),
        # Digits of other scripts, and numbers no key holds (a database error on PostgreSQL).
        ("::: picture ٣", "write it as “::: picture 12"),
        ("::: picture 99999999999999999999", "write it as “::: picture 12"),
        ("::: gallery 3 99999999999999999999", "write it as “::: gallery 12 14 15"),
        ("::: pull-quote 0", "write it as “::: pull-quote 2"),
        (
            "::: embed https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
            "is not an address we embed",
        ),
        (
            "::: embed https://www.youtube.com:port/watch?v=dQw4w9WgXcQ",
            "is not an address we embed",
        ),
        ("::: embed https://[::1/report.pdf", "is not an address we embed"),
        ("::: embed https://example.com/report%00.pdf", "is not an address we embed"),
    ],
)
def test_a_bad_block_is_a_form_error_on_the_body_and_nothing_is_saved(admin_client, body, message):
    speaker = make_person()
    data = form_data(f"Text.\n\n{body}", **quote_rows(speaker, 1, 2))
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert any(message in error for error in errors), errors
    assert not Article.objects.exists() and not Embed.objects.exists()


@pytest.mark.parametrize(
    "line",
    [
        "::: pull-quote ²",
        "::: gallery ² ³",
        "::: picture 99999999999999999999",
        "::: embed https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
        "::: embed https://[::1/report.pdf",
        "::: embed https://example.com/report%00.pdf",
    ],
)
def test_a_story_sent_with_a_block_that_cannot_be_read_keeps_it_as_text(client, line):
    """The API takes a body as it comes: the line stays text, the story a draft."""
    from articles.models import ApiToken
    from articles.roles import WRITERS
    from tests.factories import make_staff

    token = ApiToken.issue(make_staff("wendy", WRITERS), "Agency feed")[1]
    story = f"Ministers meet\n\nThey met on Monday.\n\n{line}\n\nThey will meet again."
    response = client.post("/api/ingest/", story.encode(), content_type="text/plain",
                           HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert response.status_code == 201, response.content
    article = Article.objects.get()
    assert line.split(" ", 2)[-1] in article.body_html and not Embed.objects.exists()


def test_a_pull_quote_of_a_quote_added_in_the_same_save_is_accepted(admin_client):
    speaker = make_person(name="Kaja Kallas", slug="kaja-kallas")
    data = form_data("Lead.\n\n::: pull-quote 2", **quote_rows(speaker, 1, 2))
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert "Quote number 2." in article.body_html
    assert '<a href="/people/kaja-kallas/">Kaja Kallas</a>, Minister' in article.body_html


def test_deleting_the_quote_a_pull_quote_shows_is_refused(admin_client, quoted):
    url = reverse("admin:articles_article_change", args=[quoted.pk])
    form = admin_client.get(url).context["adminform"].form
    quote = quoted.quotes.get()
    data = form_data(
        quoted.body, title=quoted.title, slug=quoted.slug,
        base_version=form["base_version"].value(),
        **{"quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "1", "quotes-0-id": str(quote.pk),
           "quotes-0-speaker": str(quote.speaker_id), "quotes-0-text": quote.text,
           "quotes-0-position": "1", "quotes-0-DELETE": "on"},
    )  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "no quote at position 1" in str(response.context["adminform"].form.errors["body"])
    assert quoted.quotes.exists()


def test_an_embed_saved_offline_is_kept_and_the_editor_told(admin_client):
    data = form_data(f"Watch:\n\n::: embed {VIDEO}")
    response = admin_client.post(reverse("admin:articles_article_add"), data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "saved with its address only" in m and "YouTube could not be reached" in m for m in messages
    )
    article = Article.objects.get()
    embed = Embed.objects.get()
    assert list(embed.articles.all()) == [article]
    assert (
        'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in article.body_html
    )


def test_an_embed_is_described_at_save_from_the_provider(admin_client, oembed):
    oembed.answer_json(
        "/youtube/oembed", {"title": "Summit press conference", "author_name": "UK Gov"}
    )
    response = admin_client.post(
        reverse("admin:articles_article_add"), form_data(f"::: embed {VIDEO}")
    )
    assert response.status_code == 302
    assert "Summit press conference" in Article.objects.get().body_html
    assert len(oembed.requests) == 1  # asked once, before the save, and the save found it


def test_the_form_offers_the_insert_toolbar_script(admin_client):
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "articles/blocks-insert.js" in html


def test_the_preview_pane_renders_blocks_of_the_form_without_asking_providers(admin_client, oembed):
    speaker = make_person(name="Kaja Kallas")
    quotes = [{"id": "", "speaker": speaker.pk, "role": "HR/VP", "text": "Yes.", "position": "4"}]
    values = {
        "title": "Summit", "body": f"::: pull-quote 4\n\n::: embed {VIDEO}",
        "quotes": json.dumps(quotes),
    }  # fmt: skip
    answer = admin_client.post(reverse("admin:articles_article_preview_pane_new"), values).json()
    assert "Kaja Kallas</a>, HR/VP" in answer["html"]
    assert "YouTube video" in answer["html"]
    assert oembed.requests == [] and not Embed.objects.exists()


# Readers: the page, feeds, API, ninjs --------------------------------------------------------


@pytest.fixture
def rich(quoted):
    Embed.objects.create(
        url=VIDEO, provider="youtube", title="Summit <live>", author_name="UK Gov",
        frame_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    )  # fmt: skip
    quoted.body += f"\n\n::: embed {VIDEO}\n\n::: picture 9"
    quoted.save()
    return quoted


def test_the_page_shows_a_click_to_load_placeholder_and_no_third_party_address(client, rich):
    html = client.get(rich.get_absolute_url()).content.decode()
    body = page_body(html)
    assert "<iframe" not in html
    assert 'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in body
    assert '<span class="embed-title">Summit &lt;live&gt;</span>' in body
    assert (
        'class="embed-consent" hidden><button type="button" class="embed-load">'
        "Load the video from YouTube" in body
    )
    assert '<a class="embed-original" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body
    assert "Picture not available." in body
    assert re.search(r'<script src="/static/articles/embeds[^"]*\.js" defer>', html)
    assert not re.search(r"<script(?![^>]*(\bsrc=|application/ld\+json))", html)  # no inline script


def test_the_feed_carries_blocks_as_plain_html_and_the_embed_as_a_link(client, rich):
    root = ElementTree.fromstring(client.get("/feeds/latest/").content)
    content = next(root.iter("{http://www.w3.org/2005/Atom}content"))
    assert content.get("type") == "html"
    html = content.text
    assert "<blockquote><p>We stand together.</p>" in html
    assert '<a href="http://' in html and '/people/david-lammy/">David Lammy</a>' in html
    assert f'<a href="{VIDEO}">Summit &lt;live&gt;</a> (YouTube, UK Gov)' in html
    assert "<iframe" not in html and "<script" not in html and "<button" not in html
    assert "Picture not available" not in html


def test_the_api_gives_the_body_as_items_beside_its_html(client, rich):
    data = client.get(reverse("api:article", args=[rich.pk])).json()
    assert data["body_html"] == rich.body_html
    types = [item["type"] for item in data["body"]]
    assert types == ["text", "pull_quote", "text", "embed", "picture"]
    quote = data["body"][1]
    assert quote["speaker"]["name"] == "David Lammy"
    assert quote["speaker"]["url"].endswith("/people/david-lammy/")
    assert quote["speaker"]["url"].startswith("http")
    assert data["body"][3]["title"] == "Summit <live>"
    assert data["body"][4]["available"] is False


def test_ninjs_lists_the_embeds_as_associations_and_stays_valid(rich):
    article = Article.objects.with_public_relations().get(pk=rich.pk)
    document = article_to_ninjs(article)
    assert validation_problems(document) == []
    (embed,) = document["associations"]
    assert embed["name"] == "embed1" and embed["uri"] == VIDEO and embed["type"] == "video"
    assert embed["headlines"] == [{"role": "main", "value": "Summit <live>"}]


def test_an_article_page_with_twenty_blocks_reads_as_few_queries_as_one_without(client):
    plain = make_article(body="Just text.")
    speaker = make_person()
    many = make_article(body="\n\n".join(
        [f"::: pull-quote {n % 5 + 1}" for n in range(10)]
        + [f"::: embed https://youtu.be/{n:011d}" for n in range(10)]
    ))  # fmt: skip
    for n in range(5):
        make_quote(many, speaker, text=f"Remark {n}.", position=n + 1)
    make_quote(plain, speaker)
    counts = {}
    for name, article in [("plain", plain), ("many", many)]:
        for read in ("rendering", "stored"):
            if read == "rendering":
                everything_stale()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(article.get_absolute_url()).status_code == 200
            counts[name, read] = len(queries)
    assert counts["many", "rendering"] == counts["plain", "rendering"]
    assert counts["many", "stored"] == counts["plain", "stored"] <= 6
    assert "Remark 4." in page_body(client.get(many.get_absolute_url()).content.decode())


def test_an_archive_carries_the_embeds_and_their_links(tmp_path, rich):
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    Article.objects.all().delete()
    Embed.objects.all().delete()
    Person.objects.all().delete()
    call_command("import_archive", str(path), stdout=io.StringIO())
    embed = Embed.objects.get()
    assert embed.title == "Summit <live>"
    article = Article.objects.get()
    assert list(embed.articles.all()) == [article]
    assert "Summit &lt;live&gt;" in article.body_html
