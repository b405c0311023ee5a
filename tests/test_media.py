"""The media library: pictures, their crops around the focal point, uses and the admin."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.media import usage
from articles.media.library import set_focal_point
from articles.media.models import Picture, PictureUse
from articles.media.rendering import picture_html
from articles.media.renditions import crop_box
from articles.models import Article
from tests.factories import make_article, make_picture
from tests.images import decompression_bomb, jpeg_with_gps, picture_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_picture_changelist"


def stored_image(name):
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image.convert("RGB")


def corner_picture(corner):
    """A white 1600 × 800 JPEG with a red 200-pixel square in one corner."""
    image = Image.new("RGB", (1600, 800), "white")
    left = 0 if "left" in corner else 1400
    top = 0 if "top" in corner else 600
    image.paste((220, 0, 0), (left, top, left + 200, top + 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("corner.jpg", buffer.getvalue())


def has_red(image):
    data = image.tobytes()
    return any(
        data[i] > 180 and data[i + 1] < 80 and data[i + 2] < 80 for i in range(0, len(data), 3)
    )


# Crops keep the focal point in frame


def test_a_crop_box_is_centred_on_the_focal_point_and_kept_inside_the_picture():
    assert crop_box(1600, 800, 1, 0.5, 0.5) == (400, 0, 1200, 800)
    assert crop_box(1600, 800, 1, 0.0, 0.0) == (0, 0, 800, 800)
    assert crop_box(1600, 800, 1, 1.0, 1.0) == (800, 0, 1600, 800)
    assert crop_box(800, 1600, 1200 / 630, 0.5, 0.5) == (0, 590, 800, 1010)
    assert crop_box(800, 1600, 1200 / 630, 0.5, 0.9) == (0, 1180, 800, 1600)


def test_the_square_crop_keeps_the_focal_point_and_moving_it_cuts_the_crops_again(
    django_capture_on_commit_callbacks,
):
    from articles.media.library import add_picture

    picture = add_picture(corner_picture("bottom right"), alt="A red square", focal_x=0.94)
    square = picture.crops["square"][0]
    assert (square["width"], square["height"]) == (600, 600)
    assert has_red(stored_image(square["name"]))

    # Focal point on the other side: the red corner leaves the square.
    old = picture.crop_files()
    with django_capture_on_commit_callbacks(execute=True):
        set_focal_point(picture, 0.05, 0.5)
        picture.save()
    assert not has_red(stored_image(picture.crops["square"][0]["name"]))
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in picture.files())


def test_the_social_card_is_1200_by_630_and_never_enlarged():
    big = make_picture((2400, 1600))
    assert [(r["width"], r["height"]) for r in big.crops["social"]] == [(1200, 630)]
    small = make_picture((600, 600))
    social = small.crops["social"][0]
    assert social["width"] == 600 and abs(social["width"] / social["height"] - 1200 / 630) < 0.01


# Upload checks, as for lead images


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG and other formats are not accepted"),
        (decompression_bomb(), "too many pixels"),
        (b"\x89PNG\r\n\x1a\n broken", "not a JPEG, PNG, WebP or GIF"),
    ],
)
def test_the_library_refuses_what_is_not_a_safe_picture(data, message):
    from django.core.exceptions import ValidationError

    from articles.media.library import add_picture

    with pytest.raises(ValidationError) as error:
        add_picture(SimpleUploadedFile("x.png", data))
    assert message in " ".join(error.value.messages)
    assert not Picture.objects.exists()


def test_stored_pictures_carry_no_camera_or_location_data():
    from articles.media.library import add_picture

    picture = add_picture(SimpleUploadedFile("gps.jpg", jpeg_with_gps()), alt="London")
    for name in picture.files():
        with default_storage.open(name) as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert not image.getexif() and "exif" not in image.info


# Uses


def test_uses_are_recorded_for_the_lead_image_and_the_body():
    first, second, third = make_picture(), make_picture(), make_picture()
    article = make_article(lead_image=first)
    assert usage.record_body_pictures(article, [second.pk, str(third.pk), 999999]) == {
        second.pk,
        third.pk,
    }
    kinds = set(PictureUse.objects.filter(article=article).values_list("picture_id", "kind"))
    assert kinds == {(first.pk, "lead"), (second.pk, "body"), (third.pk, "body")}
    usage.record_body_pictures(article, [third.pk])
    assert not second.uses.exists()
    assert set(Picture.objects.unused()) == {second}


def test_picture_html_has_srcsets_size_and_lazy_loading():
    picture = make_picture((2000, 1000), alt="Family photo")
    html = picture_html(picture, size="wide")
    assert 'sizes="(min-width: 64rem) 60rem, 100vw"' in html
    assert 'width="2000" height="1000"' in html and 'loading="lazy"' in html
    assert 'type="image/webp"' in html and 'alt="Family photo"' in html
    assert 'loading="lazy"' not in picture_html(picture, size="full", lazy=False)


def test_a_new_caption_renews_the_page_of_the_article_using_the_picture(client):
    picture = make_picture(caption="First caption.")
    article = make_article(lead_image=picture)
    assert "First caption." in client.get(article.get_absolute_url()).content.decode()
    picture.caption = "Second caption."
    picture.save()
    assert "Second caption." in client.get(article.get_absolute_url()).content.decode()


# The admin: list, search, filters


def test_the_library_lists_thumbnails_flags_missing_alt_text_and_searches(client, editor):
    client.force_login(editor)
    described = make_picture(alt="Ministers at the door", caption="Downing Street", credit="PA")
    bare = make_picture(alt="", credit="Reuters")
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert described.crops["thumbnail"][1]["name"] in html  # the focal thumbnail
    assert "No alt text yet" in html
    found = client.get(reverse(CHANGELIST), {"q": "downing"}).context["cl"].result_list
    assert list(found) == [described]
    found = client.get(reverse(CHANGELIST), {"q": "reuters"}).context["cl"].result_list
    assert list(found) == [bare]
    found = client.get(reverse(CHANGELIST), {"alt": "missing"}).context["cl"].result_list
    assert list(found) == [bare]


def test_the_library_filters_unused_pictures_and_by_uploader(client, editor, writer):
    client.force_login(editor)
    used, unused = make_picture(), make_picture()
    Picture.objects.filter(pk=unused.pk).update(uploaded_by=writer)
    make_article(lead_image=used)
    found = client.get(reverse(CHANGELIST), {"use": "unused"}).context["cl"].result_list
    assert list(found) == [unused]
    found = client.get(reverse(CHANGELIST), {"uploaded_by__id__exact": writer.pk})
    assert list(found.context["cl"].result_list) == [unused]


def test_the_library_list_reads_the_same_number_of_queries_however_many_pictures(
    client, editor, django_assert_max_num_queries
):
    """Thumbnails, uploaders and use counts come with the rows, not one query per row."""
    client.force_login(editor)
    for _ in range(2):
        make_article(lead_image=make_picture((500, 400)))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(CHANGELIST))
    for _ in range(6):
        make_article(lead_image=make_picture((500, 400)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(CHANGELIST)).status_code == 200


# One picture: add, texts and focal point


def test_a_writer_adds_a_picture_and_sets_its_focal_point_without_script(client, writer):
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_picture_add"),
        {"upload": corner_picture("top left"), "alt": "A red square", "caption": "",
         "credit": "Newsroom", "source": "Own work", "focal_x": "0.5", "focal_y": "0.5"},
    )  # fmt: skip
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert picture.uploaded_by == writer and picture.credit == "Newsroom"
    assert not has_red(stored_image(picture.crops["square"][0]["name"]))
    change = reverse("admin:articles_picture_change", args=[picture.pk])
    page = client.get(change).content.decode()
    assert "data-focal-point" in page and "focal.js" in page
    response = client.post(
        change,
        {"alt": "A red square", "caption": "", "credit": "Newsroom", "source": "Own work",
         "focal_x": "0.02", "focal_y": "0.05"},
    )  # fmt: skip
    assert response.status_code == 302
    picture.refresh_from_db()
    assert has_red(stored_image(picture.crops["square"][0]["name"]))


def texts(picture, **changes):
    return {"alt": picture.alt, "caption": picture.caption, "credit": picture.credit,
            "source": picture.source, "focal_x": str(picture.focal_x),
            "focal_y": str(picture.focal_y), **changes}  # fmt: skip


def test_only_editors_change_a_picture_a_published_article_shows(client, writer, editor):
    """Its texts and crops are part of what readers see of the article: a writer may no
    more change them than the article itself once it is published."""
    picture = make_picture(alt="The summit's family photo", caption="Leaders in Berlin.")
    article = make_article(lead_image=picture)
    change = reverse("admin:articles_picture_change", args=[picture.pk])
    client.force_login(writer)
    assert 'name="caption"' not in client.get(change).content.decode()  # read only
    response = client.post(change, texts(picture, caption="Defaced.", focal_x="0.1"))
    assert response.status_code == 403
    picture.refresh_from_db()
    assert (picture.caption, picture.focal_x) == ("Leaders in Berlin.", 0.5)
    assert "Defaced." not in client.get(article.get_absolute_url()).content.decode()

    client.force_login(editor)
    assert client.post(change, texts(picture, caption="Corrected.")).status_code == 302
    assert "Corrected." in client.get(article.get_absolute_url()).content.decode()


def test_a_writer_still_describes_a_picture_only_drafts_use(client, writer, other_writer):
    from tests.test_editorial import draft_by

    picture = make_picture(alt="")
    draft_by(other_writer, lead_image=picture)
    client.force_login(writer)
    change = reverse("admin:articles_picture_change", args=[picture.pk])
    assert client.post(change, texts(picture, alt="A harbour at dawn")).status_code == 302
    picture.refresh_from_db()
    assert picture.alt == "A harbour at dawn"


def test_a_writer_cannot_change_a_published_picture_s_texts_through_their_draft(client, writer):
    from tests.test_editorial import draft_by
    from tests.test_editorial import form_data as article_form

    picture = make_picture(alt="The summit's family photo", caption="Leaders in Berlin.")
    make_article(lead_image=picture)
    draft = draft_by(writer, lead_image=picture)
    client.force_login(writer)
    data = article_form(draft, lead_image=str(picture.pk), lead_image_alt="Defaced",
                        lead_image_caption="Defaced.", lead_image_credit="",
                        lead_image_texts_of=str(picture.pk))  # fmt: skip
    response = client.post(reverse("admin:articles_article_change", args=[draft.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["lead_image_alt"]
    assert "A published article shows this picture" in errors[0]
    picture.refresh_from_db()
    assert (picture.alt, picture.caption) == ("The summit's family photo", "Leaders in Berlin.")


def test_a_focal_point_outside_the_picture_is_a_form_error(client, editor):
    client.force_login(editor)
    picture = make_picture()
    response = client.post(
        reverse("admin:articles_picture_change", args=[picture.pk]),
        {"alt": "x", "caption": "", "credit": "", "source": "", "focal_x": "1.5", "focal_y": "a"},
    )
    assert response.status_code == 200
    assert "fraction from 0 to 1" in response.content.decode()


# Bulk upload


def test_bulk_upload_stores_the_good_files_and_names_the_bad_ones(client, writer):
    client.force_login(writer)
    files = [
        SimpleUploadedFile("summit.jpg", picture_bytes("JPEG", (800, 600))),
        SimpleUploadedFile("notes.pdf", b"%PDF-1.4 not a picture"),
        SimpleUploadedFile("chart.png", picture_bytes("PNG", (640, 480))),
    ]
    response = client.post(
        reverse("admin:articles_picture_bulk_upload"),
        {"files": files, "credit": "Newsroom", "source": "Own work"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 picture(s) added to the library" in html
    assert "notes.pdf" in html and "not a JPEG, PNG, WebP or GIF" in html
    pictures = Picture.objects.all()
    assert len(pictures) == 2
    assert {(p.credit, p.source, p.uploaded_by_id, p.alt) for p in pictures} == {
        ("Newsroom", "Own work", writer.pk, "")
    }


def test_bulk_upload_without_files_is_a_form_error(client, writer):
    client.force_login(writer)
    response = client.post(reverse("admin:articles_picture_bulk_upload"), {"credit": ""})
    assert response.status_code == 200
    assert "Choose one or more pictures." in response.content.decode()


# Deleting


def test_deleting_a_picture_in_use_is_refused_with_the_articles_using_it(client, editor):
    client.force_login(editor)
    picture = make_picture()
    article = make_article(title="Summit story", lead_image=picture)
    delete = reverse("admin:articles_picture_delete", args=[picture.pk])
    page = client.get(delete)
    assert page.status_code == 200
    html = page.content.decode()
    assert "cannot be deleted: articles use it" in html and "Summit story" in html
    assert client.post(delete, {"post": "yes"}).status_code == 200
    assert Picture.objects.filter(pk=picture.pk).exists()

    unused = make_picture()
    response = client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [picture.pk, unused.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "Nothing was deleted" in response.content.decode()
    assert Picture.objects.count() == 2

    article.lead_image = None
    article.save()
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Picture.objects.filter(pk=picture.pk).exists()


def test_deleting_an_unused_picture_removes_its_files(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    picture = make_picture()
    files = picture.files()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_picture_delete", args=[picture.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not any(default_storage.exists(name) for name in files)


def test_writers_may_not_delete_pictures(client, writer):
    client.force_login(writer)
    picture = make_picture()
    assert (
        client.post(
            reverse("admin:articles_picture_delete", args=[picture.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Picture.objects.filter(pk=picture.pk).exists()


def test_a_writer_sees_no_title_of_another_writers_draft_among_a_pictures_uses(
    client, writer, other_writer
):
    from tests.test_editorial import draft_by

    picture = make_picture()
    draft_by(other_writer, title="Walter's secret draft", lead_image=picture)
    client.force_login(writer)
    html = client.get(reverse("admin:articles_picture_change", args=[picture.pk])).content
    assert b"Walter's secret draft" not in html
    assert b"1 unpublished article(s) of other writers" in html


# The chooser's search


def choose(client, **params):
    return client.get(reverse("admin:articles_picture_choose"), params)


def test_the_chooser_searches_alt_caption_and_credit_with_thumbnails(client, writer):
    client.force_login(writer)
    match = make_picture(alt="Family photo at the summit", credit="Reuters")
    make_picture(alt="A harbour at dawn", credit="AFP")
    data = choose(client, q="summit reuters").json()
    assert [r["id"] for r in data["results"]] == [match.pk]
    result = data["results"][0]
    assert result["alt"] == "Family photo at the summit" and result["needs_alt"] is False
    assert result["thumbnail"].endswith(".jpg") and "thumbnail-" in result["thumbnail"]
    assert data["more"] is False
    assert len(choose(client).json()["results"]) == 2


def test_the_chooser_pages_its_results(client, editor):
    from articles.media.chooser import PAGE_SIZE

    client.force_login(editor)
    Picture.objects.bulk_create(
        [Picture(file=f"pictures/p{n}.jpg", width=10, height=10) for n in range(PAGE_SIZE + 1)]
    )
    first = choose(client).json()
    assert len(first["results"]) == PAGE_SIZE and first["more"] is True
    assert len(choose(client, page="2").json()["results"]) == 1


@pytest.mark.parametrize(
    "params", [{"page": "abc"}, {"page": "0"}, {"q": "x" * 201}, {"q": "a\x00b"}]
)
def test_the_chooser_answers_bad_input_with_a_400_and_a_message(client, editor, params):
    client.force_login(editor)
    response = choose(client, **params)
    assert response.status_code == 400 and response.json()["error"]


def test_the_chooser_is_for_staff_who_may_see_pictures(client, django_user_model):
    assert choose(client).status_code == 302  # to the login page
    nobody = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(nobody)
    assert choose(client).status_code == 403


# The article form: choosing and uploading without the script


def test_the_article_form_offers_the_library_as_a_plain_select(client, editor):
    client.force_login(editor)
    picture = make_picture(alt="The summit's family photo")
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert f'<option value="{picture.pk}">The summit&#x27;s family photo</option>' in html
    assert 'data-picture-chooser="/admin/articles/picture/choose/"' in html
    assert "chooser.js" in html


def test_a_writer_chooses_a_lead_image_from_the_library(client, writer):
    from tests.test_editorial import draft_by, form_data

    client.force_login(writer)
    picture = make_picture(alt="Ministers", caption="In London.")
    article = draft_by(writer)
    data = form_data(article, lead_image=picture.pk)
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_image == picture
    assert PictureUse.objects.get(article=article).kind == "lead"
    assert Article.objects.get(pk=article.pk).lead_picture["caption"] == "In London."
