"""Lead images on an S3-compatible object store: uploaded through the admin, read back."""

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
        article, lead_image=SimpleUploadedFile("photo.jpg", data), lead_image_alt="Ministers"
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

    files = article.lead_image_files()
    assert objects_in(bucket) == set(files) and len(files) == 7
    master, stored = read_picture(bucket, article.lead_image.name)
    assert master.size == (1200, 800)
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    for rendition in article.lead_image_renditions:
        image, stored = read_picture(bucket, rendition["name"])
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition["format"]]
        assert image.size == (rendition["width"], rendition["height"])
        assert stored["ContentType"] == f"image/{rendition['format']}"
    assert sorted({r["width"] for r in article.lead_image_renditions}) == [480, 960, 1200]
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


def test_replacing_the_picture_removes_the_old_objects(
    client, admin_user, bucket, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    article = make_article(tags=["Ukraine"])
    upload_through_the_admin(client, article, picture_bytes("JPEG", (1200, 800)))
    article.refresh_from_db()
    first = set(article.lead_image_files())
    with django_capture_on_commit_callbacks(execute=True):
        upload_through_the_admin(client, article, picture_bytes("PNG", (700, 500)))
    article.refresh_from_db()
    assert objects_in(bucket) == set(article.lead_image_files())
    assert not first & objects_in(bucket)
