"""Pictures: what is accepted, what is refused, what is stored, what readers get."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles import images
from articles.models import Article, Picture
from tests.factories import make_article, make_picture
from tests.images import (
    GPS_IFD,
    animated_gif,
    decompression_bomb,
    jpeg_with_gps,
    picture_bytes,
)

pytestmark = pytest.mark.django_db


def upload(data, name="picture.jpg"):
    return SimpleUploadedFile(name, data)


def stored(name):
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


# What is accepted


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (picture_bytes("JPEG", (1200, 800)), "photo.jpg"),
        (picture_bytes("PNG", (1200, 800)), "chart.png"),
        (picture_bytes("WEBP", (1200, 800)), "photo.webp"),
        (picture_bytes("GIF", (1200, 800), color=3, mode="P"), "still.gif"),
        (picture_bytes("PNG", (1200, 800), color=(0, 0, 0, 0), mode="RGBA"), "transparent.png"),
    ],
)
def test_real_pictures_are_accepted_whatever_their_name(data, name):
    master, width, height, renditions = images.store_picture(upload(data, name="no-extension"))
    assert (width, height) == (1200, 800)
    assert stored(master).size == (1200, 800)
    assert {r["format"] for r in renditions} == {"webp", "jpeg"}


def test_an_animated_gif_becomes_a_still_picture():
    master, width, height, renditions = images.store_picture(upload(animated_gif(), "anim.gif"))
    assert (width, height) == (120, 80)
    assert getattr(stored(master), "n_frames", 1) == 1
    assert [r["width"] for r in renditions] == [120, 120]


# What is refused


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Just some words, not a picture.", "not a JPEG, PNG, WebP or GIF"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (picture_bytes("JPEG", (1200, 800))[:2000], "damaged or incomplete"),
        (picture_bytes("BMP", (40, 40)), "not a JPEG, PNG, WebP or GIF"),
        (decompression_bomb(), "too many pixels"),
    ],
    ids=["text-named-jpg", "svg", "truncated-jpeg", "bmp", "decompression-bomb"],
)
def test_anything_but_a_real_picture_is_refused_with_a_clear_message(data, message):
    with pytest.raises(ValidationError, match=message):
        images.open_picture(upload(data, "picture.jpg"))


def test_a_huge_file_is_refused_before_it_is_decoded():
    huge = upload(b"\xff\xd8\xff" + b"\0" * (images.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ValidationError, match="pictures may be at most 25 MB"):
        images.open_picture(huge)


# What is stored


def test_gps_and_every_other_metadata_are_stripped_from_every_stored_file():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_IFD)  # the test file really carries GPS
    master, _, _, renditions = images.store_picture(upload(jpeg_with_gps()))
    for name in [master] + [r["name"] for r in renditions]:
        image = stored(name)
        assert not image.getexif(), name
        assert "exif" not in image.info and "icc_profile" not in image.info, name
        with default_storage.open(name) as handle:
            raw = handle.read()
        assert b"Spy Camera Co" not in raw and b"Exif" not in raw, name


def test_exif_orientation_is_applied():
    """A phone picture taken sideways (orientation 6) is stored upright."""
    master, width, height, _ = images.store_picture(upload(jpeg_with_gps((800, 600), 6)))
    assert (width, height) == (600, 800)
    assert stored(master).size == (600, 800)


def test_renditions_keep_the_aspect_ratio_and_are_never_upscaled():
    _, _, _, renditions = images.store_picture(upload(picture_bytes("JPEG", (3000, 2000))))
    sizes = sorted({(r["width"], r["height"]) for r in renditions})
    assert sizes == [(480, 320), (960, 640), (1600, 1067)]
    for rendition in renditions:
        assert stored(rendition["name"]).size == (rendition["width"], rendition["height"])
        assert stored(rendition["name"]).format == rendition["format"].upper()

    _, _, _, small = images.store_picture(upload(picture_bytes("JPEG", (600, 400))))
    assert sorted({r["width"] for r in small}) == [480, 600]


def test_a_very_large_camera_picture_is_stored_at_a_sensible_size():
    master, width, height, _ = images.store_picture(upload(picture_bytes("JPEG", (6000, 4000))))
    assert (width, height) == (images.MASTER_MAX_SIZE, 1600)
    assert stored(master).size == (width, height)


# What readers get


def test_the_article_page_serves_responsive_pictures_that_do_not_shift(client):
    picture = make_picture((2000, 1000), alt="Ministers at the door of No 10")
    article = make_article(lead_image=picture)
    html = client.get(article.get_absolute_url()).content.decode()
    found = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert re.search(
        r'<source type="image/webp" srcset="[^"]+480\.webp 480w, '
        r'[^"]+960\.webp 960w, [^"]+1600\.webp 1600w"',
        found,
    )
    assert 'width="2000" height="1000"' in found
    assert 'alt="Ministers at the door of No 10"' in found
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in found
    assert 'loading="lazy"' not in found  # the lead picture is above the fold

    listing = client.get("/").content.decode()
    teaser = re.search(r"<picture>.*?</picture>", listing, re.S).group(0)
    assert 'loading="lazy"' in teaser
    # Lists show the thumbnail cut around the focal point, at its own size.
    assert "thumbnail-" in teaser and 'width="480" height="320"' in teaser


# The editors' side


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def post_picture(editor_client, article, data, name="photo.jpg", **extra):
    from tests.test_editorial import form_data

    article.refresh_from_db()
    payload = form_data(
        article, lead_image_upload=upload(data, name), lead_image_alt="A picture", **extra
    )
    return editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), payload)


def test_an_upload_in_the_article_form_joins_the_library_and_replacing_it_keeps_the_old_one(
    editor_client, django_capture_on_commit_callbacks
):
    article = make_article(tags=["Ukraine"])
    assert (
        post_picture(editor_client, article, picture_bytes("JPEG", (1200, 800))).status_code == 302
    )
    article.refresh_from_db()
    first = article.lead_image
    assert first.alt == "A picture" and first.uploaded_by.username == "admin"
    # The master, a WebP and a JPEG at 480, 960 and 1200, and five focal crops.
    assert len(first.files()) == 12 and all(default_storage.exists(n) for n in first.files())
    assert first.uses.get().article == article

    with django_capture_on_commit_callbacks(execute=True):
        response = post_picture(editor_client, article, picture_bytes("PNG", (900, 600)))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_image != first
    # The replaced picture stays in the library, unused, its files where they were.
    assert all(default_storage.exists(n) for n in first.files())
    assert not first.uses.exists()
    assert Picture.objects.unused().filter(pk=first.pk).exists()


def test_choosing_no_lead_image_or_deleting_the_article_leaves_the_picture_in_the_library(
    editor_client,
):
    from tests.test_editorial import form_data

    picture = make_picture()
    article = make_article(tags=["Ukraine"], lead_image=picture)
    assert picture.uses.get().kind == "lead"
    data = form_data(article, lead_image="")
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_image is None and not picture.uses.exists()

    other = make_article(tags=["Ukraine"], lead_image=picture)
    editor_client.post(reverse("admin:articles_article_delete", args=[other.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=other.pk).exists()
    assert Picture.objects.filter(pk=picture.pk).exists()
    assert all(default_storage.exists(n) for n in picture.files())


def test_a_bad_upload_is_a_form_error_and_nothing_is_saved(editor_client):
    article = make_article(tags=["Ukraine"], title="Untouched")
    response = post_picture(editor_client, article, b"not a picture", title="Changed")
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a JPEG, PNG, WebP or GIF" in html
    article.refresh_from_db()
    assert article.title == "Untouched" and not article.lead_image
    assert not Picture.objects.exists()


def test_a_lead_image_needs_alt_text_to_publish(editor_client):
    article = make_article(tags=["Ukraine"])
    from tests.test_editorial import form_data

    data = form_data(
        article, lead_image_upload=upload(picture_bytes("JPEG", (1200, 800))), lead_image_alt=""
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "The lead image needs alt text" in response.content.decode()
    assert not Picture.objects.exists()


def test_a_chosen_picture_without_alt_text_cannot_be_published_until_the_form_gives_it_some(
    editor_client,
):
    from tests.test_editorial import form_data

    picture = make_picture(alt="")
    article = make_article(tags=["Ukraine"])
    data = form_data(article, lead_image=picture.pk, lead_image_texts_of=picture.pk)
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "The lead image needs alt text" in response.content.decode()

    data["lead_image_alt"] = "The summit's family photo"
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.alt == "The summit's family photo"
    article.refresh_from_db()
    assert article.lead_image == picture


def test_texts_shown_for_one_picture_are_never_written_onto_another(editor_client):
    from tests.test_editorial import form_data

    first = make_picture(alt="First picture", credit="Agency A")
    second = make_picture(alt="Second picture", credit="Agency B")
    article = make_article(tags=["Ukraine"], lead_image=first)
    data = form_data(article, lead_image=second.pk)  # the texts are still the first's
    assert data["lead_image_texts_of"] == str(first.pk)
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.alt, second.credit) == ("Second picture", "Agency B")


def test_the_changelist_and_form_show_a_thumbnail(editor_client):
    article = make_article(tags=["Ukraine"], lead_image=make_picture())
    thumbnail = article.lead_picture["teaser"]["thumbnail"]
    assert (
        f'<img src="{thumbnail}"'
        in editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    )
    assert (
        f'<img src="{thumbnail}"'
        in editor_client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ).content.decode()
    )


def test_the_demo_article_ships_a_generated_lead_image(client, demo_article):
    picture = demo_article.lead_picture
    assert picture["width"] == 1600 and picture["height"] == 900
    assert demo_article.lead_image.credit == "Newsroom graphic"
    assert default_storage.exists(demo_article.lead_image.file.name)
