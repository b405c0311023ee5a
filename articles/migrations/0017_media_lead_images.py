"""
Today's lead images move into the media library: each becomes a Picture pointing at the
very files already stored (no file is copied, moved or renamed, so no address a reader
or a cache knows changes), with its alt text, caption and credit, used by its article.
The focal-point crops are cut as well, where the original can be read.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


def into_library(apps, schema_editor):
    from articles.media.renditions import make_crops

    Article = apps.get_model("articles", "Article")
    Picture = apps.get_model("articles", "Picture")
    PictureUse = apps.get_model("articles", "PictureUse")
    with_images = Article.objects.exclude(lead_image="").exclude(lead_image__isnull=True)
    for article in with_images.order_by("pk").iterator(chunk_size=500):
        name = article.lead_image.name
        picture = Picture.objects.filter(file=name).first()
        if picture is None:
            width, height = article.lead_image_width, article.lead_image_height
            if not (width and height):
                width, height = stored_size(article.lead_image)
            picture = Picture(
                file=name,
                width=width or 0,
                height=height or 0,
                renditions=article.lead_image_renditions or [],
                alt=article.lead_image_alt,
                caption=article.lead_image_caption,
                credit=article.lead_image_credit,
                uploaded_by_id=article.created_by_id,
                uploaded_at=article.created_at,
            )
            try:
                picture.crops = make_crops(name, 0.5, 0.5, storage=article.lead_image.storage)
            except Exception:  # a missing or unreadable original: the renditions still serve
                logger.warning("No focal crops for %s: its original could not be read.", name)
            picture.save()
        Article.objects.filter(pk=article.pk).update(library_lead_image=picture)
        PictureUse.objects.get_or_create(article_id=article.pk, picture=picture, kind="lead")


def stored_size(field_file):
    try:
        return field_file.width, field_file.height
    except Exception:
        return None, None


def out_of_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(library_lead_image__isnull=False).select_related(
        "library_lead_image"
    ):
        picture = article.library_lead_image
        Article.objects.filter(pk=article.pk).update(
            lead_image=picture.file.name,
            lead_image_width=picture.width,
            lead_image_height=picture.height,
            lead_image_renditions=picture.renditions,
            lead_image_alt=picture.alt,
            lead_image_caption=picture.caption,
            lead_image_credit=picture.credit,
            library_lead_image=None,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0016_media_library"),
    ]

    operations = [migrations.RunPython(into_library, out_of_library)]
