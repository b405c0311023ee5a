"""Lead images: what is accepted, what is refused, what is stored, what readers get."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles import images
from articles.models import Article
from tests.factories import make_article
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
    article = make_article(lead_image_alt="Ministers at the door of No 10")
    article.set_lead_image(upload(picture_bytes("JPEG", (2000, 1000))))
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert re.search(
        r'<source type="image/webp" srcset="[^"]+480\.webp 480w, '
        r'[^"]+960\.webp 960w, [^"]+1600\.webp 1600w"',
        picture,
    )
    assert 'width="2000" height="1000"' in picture
    assert 'alt="Ministers at the door of No 10"' in picture
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in picture
    assert 'loading="lazy"' not in picture  # the lead picture is above the fold

    listing = client.get("/").content.decode()
    assert 'loading="lazy"' in re.search(r"<picture>.*?</picture>", listing, re.S).group(0)


# The editors' side


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def post_picture(editor_client, article, data, name="photo.jpg", **extra):
    from tests.test_editorial import form_data

    article.refresh_from_db()
    payload = form_data(article, lead_image=upload(data, name), lead_image_alt="A picture", **extra)
    return editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), payload)


def test_an_upload_through_the_admin_is_processed_and_replacing_it_removes_the_old_files(
    editor_client, django_capture_on_commit_callbacks
):
    article = make_article(tags=["Ukraine"])
    assert (
        post_picture(editor_client, article, picture_bytes("JPEG", (1200, 800))).status_code == 302
    )
    article.refresh_from_db()
    first_files = article.lead_image_files()
    assert len(first_files) == 7 and all(default_storage.exists(n) for n in first_files)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_picture(editor_client, article, picture_bytes("PNG", (900, 600)))
    assert response.status_code == 302
    article.refresh_from_db()
    assert not any(default_storage.exists(n) for n in first_files)
    assert all(default_storage.exists(n) for n in article.lead_image_files())


def test_clearing_or_deleting_removes_the_files(editor_client, django_capture_on_commit_callbacks):
    article = make_article(tags=["Ukraine"])
    post_picture(editor_client, article, picture_bytes("JPEG", (1200, 800)))
    article.refresh_from_db()
    files = article.lead_image_files()
    from tests.test_editorial import form_data

    data = form_data(article, **{"lead_image-clear": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[article.pk]), data
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.lead_image and article.lead_image_renditions == []
    assert not any(default_storage.exists(n) for n in files)

    other = make_article(tags=["Ukraine"])
    post_picture(editor_client, other, picture_bytes("JPEG", (1200, 800)))
    other.refresh_from_db()
    files = other.lead_image_files()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_article_delete", args=[other.pk]), {"post": "yes"}
        )
    assert not Article.objects.filter(pk=other.pk).exists()
    assert not any(default_storage.exists(n) for n in files)


def test_a_bad_upload_is_a_form_error_and_nothing_is_saved(editor_client):
    article = make_article(tags=["Ukraine"], title="Untouched")
    response = post_picture(editor_client, article, b"not a picture", title="Changed")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upload a valid image" in html or "not a JPEG, PNG, WebP or GIF" in html
    article.refresh_from_db()
    assert article.title == "Untouched" and not article.lead_image


def test_a_lead_image_needs_alt_text(editor_client):
    article = make_article(tags=["Ukraine"])
    from tests.test_editorial import form_data

    data = form_data(
        article, lead_image=upload(picture_bytes("JPEG", (1200, 800))), lead_image_alt=""
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "A lead image needs alt text." in response.content.decode()


def test_the_changelist_and_form_show_a_thumbnail(editor_client):
    article = make_article(tags=["Ukraine"])
    post_picture(editor_client, article, picture_bytes("JPEG", (1200, 800)))
    article.refresh_from_db()
    thumbnail = article.lead_picture["thumbnail"]
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
    assert demo_article.lead_image_credit == "Newsroom graphic"
    assert default_storage.exists(demo_article.lead_image.name)
