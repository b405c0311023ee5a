import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """A model change without its migration would break the next deployment."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_lead_images_move_into_the_library_with_the_same_files_and_addresses(client):
    """Migrating from before the library keeps every lead image, at the same addresses."""
    import datetime

    from django.core.files.base import ContentFile
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from articles.images import store_picture
    from tests.images import picture_bytes

    before = [("articles", "0015_article_addresses")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldArticle = old_apps.get_model("articles", "Article")
    master, width, height, renditions = store_picture(
        ContentFile(picture_bytes("JPEG", (1600, 900)), name="summit.jpg")
    )
    published_at = timezone.now() - datetime.timedelta(hours=1)
    old = OldArticle.objects.create(
        title="Summit", slug="summit", standfirst="Leaders met.", status="published",
        published_at=published_at, publication_date=timezone.localdate(published_at),
        lead_image=master, lead_image_width=width, lead_image_height=height,
        lead_image_renditions=renditions, lead_image_alt="Leaders at the summit",
        lead_image_caption="The family photo.", lead_image_credit="Newsroom",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articles.media.models import Picture
    from articles.models import Article

    article = Article.objects.get(pk=old.pk)
    picture = article.lead_image
    assert picture == Picture.objects.get()
    assert (picture.file.name, picture.width, picture.height) == (master, width, height)
    assert picture.renditions == renditions
    assert (picture.alt, picture.caption, picture.credit) == (
        "Leaders at the summit", "The family photo.", "Newsroom",
    )  # fmt: skip
    assert picture.uses.get().kind == "lead"
    assert {"social", "square", "thumbnail"} == set(picture.crops)
    html = client.get(article.get_absolute_url()).content.decode()
    for rendition in renditions:
        assert f"/media/{rendition['name']} {rendition['width']}w" in html
    assert "The family photo." in html
