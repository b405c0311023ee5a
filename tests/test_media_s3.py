"""Pictures on an S3-compatible object store: uploaded through the admin, read back."""

import io
import re
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article
from tests.factories import make_article
from tests.images import picture_bytes
from tests.servers import s3_storage_options
from tests.test_editorial import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(settings, s3_bucket):
    endpoint, name, client = s3_bucket
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_options(endpoint, name)}
    return name, client


def objects_in(bucket):
    name, client = bucket
    return {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}


def read_picture(bucket, key):
    name, client = bucket
    stored = client.get_object(Bucket=name, Key=key)
    image = Image.open(io.BytesIO(stored["Body"].read()))
    image.load()
    return image, stored


def upload_through_the_admin(client, article, data):
    article.refresh_from_db()
    payload = form_data(
        article, lead_image_upload=SimpleUploadedFile("photo.jpg", data), lead_image_alt="Ministers"
    )
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), payload)


def test_a_lead_image_uploaded_through_the_admin_lands_in_the_store_with_its_renditions(
    client, admin_user, bucket, media_root
):
    client.force_login(admin_user)
    article = make_article(tags=["Ukraine"])
    response = upload_through_the_admin(client, article, picture_bytes("JPEG", (1200, 800)))
    assert response.status_code == 302
    article.refresh_from_db()

    picture = article.lead_image
    files = picture.files()
    # The master, WebP and JPEG at three widths, and the five focal crops.
    assert objects_in(bucket) == set(files) and len(files) == 12
    master, stored = read_picture(bucket, picture.file.name)
    assert master.size == (1200, 800)
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    crops = [r for crop in picture.crops.values() for r in crop]
    for rendition in [*picture.renditions, *crops]:
        image, stored = read_picture(bucket, rendition["name"])
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition["format"]]
        assert image.size == (rendition["width"], rendition["height"])
        assert stored["ContentType"] == f"image/{rendition['format']}"
    assert sorted({r["width"] for r in picture.renditions}) == [480, 960, 1200]
    assert not media_root.exists() or not any(media_root.rglob("*.*"))  # nothing on the disk


def test_readers_get_the_pictures_from_the_store(client, admin_user, bucket):
    client.force_login(admin_user)
    article = make_article(tags=["Ukraine"])
    upload_through_the_admin(client, article, picture_bytes("JPEG", (1200, 800)))
    client.logout()

    html = client.get(Article.objects.get(pk=article.pk).get_absolute_url()).content.decode()
    srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', html).group(1)
    url, width = srcset.split(", ")[0].split(" ")
    assert url.startswith("http://127.0.0.1:") and f"/{bucket[0]}/" in url
    with urllib.request.urlopen(url, timeout=10) as response:  # a plain, unsigned address
        image = Image.open(io.BytesIO(response.read()))
    assert (image.format, f"{image.width}w") == ("WEBP", width)


def test_a_new_focal_point_replaces_the_crops_and_deleting_removes_every_object(
    client, admin_user, bucket, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    article = make_article(tags=["Ukraine"])
    upload_through_the_admin(client, article, picture_bytes("JPEG", (1200, 800)))
    article.refresh_from_db()
    picture = article.lead_image
    first_crops = set(picture.crop_files())
    change = reverse("admin:articles_picture_change", args=[picture.pk])
    texts = {"alt": "Ministers", "caption": "", "credit": "", "source": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, {**texts, "focal_x": "0.1", "focal_y": "0.2"})
    assert response.status_code == 302
    picture.refresh_from_db()
    assert objects_in(bucket) == set(picture.files())
    assert not first_crops & objects_in(bucket)

    article.lead_image = None
    article.save()
    delete = reverse("admin:articles_picture_delete", args=[picture.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"post": "yes"}).status_code == 302
    assert objects_in(bucket) == set()
