"""Library pictures and galleries in the body: rendering, uses, checks, freshness, API, archive."""

import io
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.api.ninjs import article_to_ninjs, validation_problems
from articles.blocks import body as blocks
from articles.blocks.pictures import find_pictures, renumber
from articles.desk import checklist
from articles.media.models import Picture, PictureUse
from articles.media.rendering import picture_html
from articles.models import Article
from tests.factories import empty_article_inlines, make_article, make_picture

pytestmark = pytest.mark.django_db


def page_body(html):
    return re.search(r'<div class="body">(.*?)</div>\s*(?:<section|<footer)', html, re.S).group(1)


def body_uses(article):
    return set(
        PictureUse.objects.filter(article=article, kind=PictureUse.Kind.BODY).values_list(
            "picture_id", flat=True
        )
    )


@pytest.fixture
def trio(media_root):
    return (
        make_picture((1600, 900), alt="Leaders at the summit", caption="The family photo.",
                     credit="PA/Jane Doe"),
        make_picture((800, 600), alt="The harbour", caption="Harbour.", credit="Agency"),
        make_picture((800, 600), alt="The hall", caption="", credit=""),
    )  # fmt: skip


@pytest.fixture
def story(trio):
    lead, harbour, hall = trio
    return make_article(
        title="Summit story",
        body=(
            f"Opening.\n\n::: picture {lead.pk} wide\n\nMiddle.\n\n"
            f'::: picture {harbour.pk} full "Our own caption"\n\n'
            f"::: gallery {harbour.pk} {hall.pk} {lead.pk}\n\nEnd."
        ),
    )


# Rendering -------------------------------------------------------------------------------------


def test_find_pictures_reads_every_picture_of_a_body_in_one_query(trio):
    with CaptureQueriesContext(connection) as queries:
        found = find_pictures({picture.pk for picture in trio} | {999_999})
    assert len(queries) == 1
    assert set(found) == {picture.pk for picture in trio}


def test_a_picture_block_is_the_librarys_picture_markup_with_caption_credit_and_size(story, trio):
    lead, harbour, _ = trio
    html = story.body_html
    assert picture_html(lead, "wide", lazy=True) in html
    assert picture_html(harbour, "full", lazy=True) in html
    assert '<figure class="body-picture body-picture-wide">' in html
    assert '<figure class="body-picture body-picture-full">' in html
    assert '<figcaption>The family photo. <span class="credit">PA/Jane Doe</span>' in html
    # The block's caption replaces the library's; the credit stays the picture's.
    assert '<figcaption>Our own caption <span class="credit">Agency</span>' in html
    assert "Picture not available" not in html


def test_a_gallery_is_a_list_of_crops_each_with_alt_text_size_and_a_link(story, trio):
    gallery = re.search(r'<figure class="body-gallery".*?</figure>', story.body_html, re.S).group()
    assert 'aria-label="Gallery of 3 pictures"' in gallery
    items = re.findall(r"<li>.*?</li>", gallery, re.S)
    assert len(items) == 3
    alts = [re.search(r'<img [^>]*alt="([^"]*)"', item).group(1) for item in items]
    assert alts == ["The harbour", "The hall", "Leaders at the summit"]
    for item, picture in zip(items, [trio[1], trio[2], trio[0]], strict=True):
        crop = picture.crops["thumbnail"]
        assert re.search(r'<img [^>]*width="480" height="320"', item)
        assert any(
            picture.file.storage.url(r["name"]) in item for r in crop if r["format"] == "jpeg"
        )
        assert 'loading="lazy"' in item
    assert 'Harbour. <span class="credit">Agency</span>' in items[0]


def test_every_picture_has_a_size_and_only_the_first_block_of_a_body_loads_at_once(trio):
    article = make_article(body=f"::: picture {trio[0].pk}\n\nText.\n\n::: picture {trio[1].pk}")
    images = re.findall(r"<img [^>]*>", article.body_html)
    assert len(images) == 2
    assert all('width="' in image and 'height="' in image for image in images)
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert 'loading="lazy"' in images[1]


def test_readers_see_the_pictures_on_the_page(client, story, trio):
    body = page_body(client.get(story.get_absolute_url()).content.decode())
    assert body.count('<figure class="body-picture') == 2
    assert 'alt="Leaders at the summit"' in body and "Our own caption" in body


# Editors' errors and publishing ------------------------------------------------------------------


def form_data(body, **more):
    data = {
        "title": "New headline", "slug": "new-headline", "standfirst": "What happened.",
        "body": body, "new_tags": "Ukraine", "status": "draft", "lead_image_alt": "",
        "lead_image_caption": "", "lead_image_credit": "",
    }  # fmt: skip
    data.update(empty_article_inlines())
    data.update(more)
    return data


def test_an_unknown_picture_is_a_form_error_and_nothing_is_saved(admin_client, trio):
    body = f"Text.\n\n::: picture {trio[0].pk}\n\n::: gallery {trio[1].pk} 999999"
    response = admin_client.post(reverse("admin:articles_article_add"), form_data(body))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    line = f"::: gallery {trio[1].pk} 999999"
    assert errors == [f"Line 5 (“{line}”): the media library has no picture 999999."]
    assert not Article.objects.exists() and not PictureUse.objects.exists()


def test_publishing_with_a_body_picture_without_alt_text_is_refused(admin_client, trio):
    bare = make_picture(alt="")
    body = f"Text.\n\n::: picture {trio[0].pk}\n\n::: gallery {trio[1].pk} {bare.pk}"
    data = form_data(body, _workflow="publish")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors == [
        f"Picture {bare.pk} in the body has no alt text: add it to the picture in the library."
    ]
    assert not Article.objects.exists()
    # As a draft it is saved; the desk's checklist says what stops it.
    response = admin_client.post(reverse("admin:articles_article_add"), form_data(body))
    assert response.status_code == 302
    article = Article.objects.get()
    review = checklist.review({"body": body, "title": "T", "slug": "t", "standfirst": "S"})
    assert [check.message for check in review.errors if check.name == "alt-text"] == [
        f"Picture {bare.pk} in the body has no alt text: add it to the picture in the library."
    ]
    with pytest.raises(Exception, match="no alt text"):
        services.publish(article, article.created_by or make_editor())
    bare.alt = "A bare wall"
    bare.save()
    assert "body" not in Article.objects.get().publication_problems()


def make_editor():
    from articles.roles import EDITORS
    from tests.factories import make_staff

    return make_staff("eddie", EDITORS)


# Uses ------------------------------------------------------------------------------------------


def test_every_save_records_the_bodys_pictures_as_uses(story, trio):
    lead, harbour, hall = trio
    assert body_uses(story) == {lead.pk, harbour.pk, hall.pk}
    story.body = f"Only one now.\n\n::: picture {hall.pk}"
    story.save()
    assert body_uses(story) == {hall.pk}
    story.body = "No pictures."
    story.save()
    assert body_uses(story) == set()


def test_a_picture_a_body_shows_cannot_be_deleted_and_the_articles_are_named(
    admin_client, story, trio
):
    delete = reverse("admin:articles_picture_delete", args=[trio[2].pk])
    html = admin_client.get(delete).content.decode()
    assert "cannot be deleted: articles use it" in html and "Summit story" in html
    assert "(in the body)" in html
    assert admin_client.post(delete, {"post": "yes"}).status_code == 200
    assert Picture.objects.filter(pk=trio[2].pk).exists()


def test_restoring_a_revision_records_the_uses_of_its_body(admin_client, trio):
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        article = make_article(body=f"::: picture {trio[0].pk}")
    article.body = f"::: picture {trio[1].pk}"
    article.save()
    assert body_uses(article) == {trio[1].pk}
    version = Version.objects.get_for_object(article).first()
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    form = admin_client.get(url).context["adminform"].form
    data = form_data(
        version.field_dict["body"], title=article.title, slug=article.slug,
        standfirst=article.standfirst, new_tags="Harbour",
        base_version=form["base_version"].value(),
    )  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert body_uses(article) == {trio[0].pk}


# Freshness -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("alt", "Leaders, smiling", 'alt="Leaders, smiling"'),
        ("caption", "A new caption.", "A new caption."),
        ("credit", "Reuters", '<span class="credit">Reuters</span>'),
    ],
)
def test_a_change_to_a_picture_renders_the_bodies_showing_it_again(
    client, story, trio, field, value, shown
):
    url = story.get_absolute_url()
    assert shown not in client.get(url).content.decode()
    setattr(trio[0], field, value)
    trio[0].save()
    story.refresh_from_db()
    assert shown in story.body_html
    assert shown in client.get(url).content.decode()


def test_moving_the_focal_point_gives_the_gallery_its_new_crops(story, trio):
    from articles.media.library import set_focal_point

    hall = trio[2]
    old = hall.crops["thumbnail"][0]["name"]
    set_focal_point(hall, 0.1, 0.9)
    hall.save()
    story.refresh_from_db()
    new = hall.crops["thumbnail"][0]["name"]
    assert new != old and new in story.body_html and old not in story.body_html


# The API, ninjs and feeds ----------------------------------------------------------------------


def test_the_api_gives_body_pictures_as_structured_items_with_absolute_addresses(
    client, story, trio
):
    items = client.get(reverse("api:article", args=[story.pk])).json()["body"]
    assert [item["type"] for item in items] == [
        "text", "picture", "text", "picture", "gallery", "text",
    ]  # fmt: skip
    picture = items[1]
    assert picture["id"] == trio[0].pk and picture["size"] == "wide"
    assert (picture["alt"], picture["caption"], picture["credit"]) == (
        "Leaders at the summit", "The family photo.", "PA/Jane Doe",
    )  # fmt: skip
    assert (picture["width"], picture["height"]) == (trio[0].width, trio[0].height)
    assert picture["src"].startswith("http") and picture["url"].startswith("http")
    assert all(r["url"].startswith("http") for r in picture["renditions"])
    assert {(r["width"], r["format"]) for r in picture["renditions"]} == {
        (r["width"], r["format"]) for r in trio[0].renditions
    }
    assert items[3]["caption"] == "Our own caption"
    gallery = items[4]
    assert [p["id"] for p in gallery["items"]] == [trio[1].pk, trio[2].pk, trio[0].pk]
    assert all(p["full_url"].startswith("http") for p in gallery["items"])


def test_ninjs_carries_the_body_pictures_as_associations(story, trio):
    article = Article.objects.with_public_relations().get(pk=story.pk)
    document = article_to_ninjs(article)
    assert validation_problems(document) == []
    pictures = [a for a in document["associations"] if a["type"] == "picture"]
    assert [a["name"] for a in pictures] == [f"picture{n}" for n in range(1, 6)]
    first = pictures[0]
    assert first["descriptions"] == [{"role": "alt", "value": "Leaders at the summit"}]
    assert first["headlines"] == [{"role": "caption", "value": "The family photo."}]
    assert first["by"] == "PA/Jane Doe"
    assert first["uri"].startswith("http") and first["renditions"][0]["href"].startswith("http")


def test_the_feed_gives_plain_figures_and_images_with_absolute_addresses(client, story):
    root = ElementTree.fromstring(client.get("/feeds/latest/").content)
    html = next(root.iter("{http://www.w3.org/2005/Atom}content")).text
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 5
    assert all(re.search(r'src="https?://', image) for image in images)
    assert all('width="' in image and 'alt="' in image for image in images)
    assert "<figure>" in html and "<picture" not in html and "srcset" not in html
    assert "Leaders at the summit" in html and "Our own caption" in html


# The archive -----------------------------------------------------------------------------------


def test_an_archive_restores_body_pictures_under_their_new_ids(story, trio, tmp_path, media_root):
    page = story.get_absolute_url()
    names = {picture.pk: picture.file.name for picture in trio}
    path = tmp_path / "backup.zip"
    call_command("export_archive", str(path), stdout=io.StringIO())
    Article.objects.all().delete()
    Picture.objects.all().delete()
    make_picture(alt="Taking the old ids' place")  # the restored pictures get new ids
    Picture.objects.all().delete()
    call_command("import_archive", str(path), stdout=io.StringIO())

    restored = Article.objects.get(title="Summit story")
    by_name = {picture.file.name: picture.pk for picture in Picture.objects.all()}
    new = {old: by_name[name] for old, name in names.items()}
    assert set(new.values()).isdisjoint(names)
    lead, harbour, hall = (new[picture.pk] for picture in trio)
    assert restored.body == (
        f"Opening.\n\n::: picture {lead} wide\n\nMiddle.\n\n"
        f'::: picture {harbour} full "Our own caption"\n\n'
        f"::: gallery {harbour} {hall} {lead}\n\nEnd."
    )
    assert body_uses(restored) == {lead, harbour, hall}
    assert [item["id"] for item in restored.body_items if item["type"] == "picture"] == [
        lead, harbour,
    ]  # fmt: skip
    assert restored.get_absolute_url() == page
    assert "Picture not available" not in restored.body_html


def test_renumbering_changes_only_the_numbers_of_picture_and_gallery_blocks():
    text = (
        'Picture 3 of 4.\r\n\r\n::: picture 3 wide "Caption 4"\r\n\r\n::: gallery 4 3 9\n\n'
        "::: pull-quote 3\n\n    ::: picture 3\n"
    )
    assert renumber(text, {3: 30, 4: 3}) == (
        'Picture 3 of 4.\r\n\r\n::: picture 30 wide "Caption 4"\r\n\r\n::: gallery 3 30 9\n\n'
        "::: pull-quote 3\n\n    ::: picture 3\n"
    )


# Limits ----------------------------------------------------------------------------------------


def test_a_gallery_holds_at_most_24_pictures():
    problems = blocks.problems("::: gallery " + " ".join(str(n) for n in range(1, 26)), Article())
    assert "a gallery shows at most 24 pictures; this one names 25" in problems[0]


def test_the_insert_toolbar_searches_the_library_for_those_who_may(client, writer):
    from django.contrib.auth.models import Permission

    client.force_login(writer)
    desk = re.compile(r'<div id="desk"[^>]*>')
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    chooser = reverse("admin:articles_picture_choose")
    assert f'data-picture-chooser="{chooser}"' in desk.search(html).group()
    writer.groups.clear()
    writer.user_permissions.set(
        Permission.objects.filter(codename__in=["add_article", "change_article", "view_article"])
    )
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "data-picture-chooser" not in desk.search(html).group()
