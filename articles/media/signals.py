"""The library's receivers: an article's lead-image use; pages renewed when a picture changes."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles import fragments, invalidation
from articles.media.models import Picture, PictureUse
from articles.media.usage import record_lead_picture
from articles.models import Article


@receiver(post_save, sender=Article, dispatch_uid="media-lead-use")
def lead_picture_use(sender, instance, raw=False, **kwargs):
    """Whatever saved the article (a form, the API, a restored revision), its lead image
    is recorded as a use of that picture."""
    if not raw:
        record_lead_picture(instance)


@receiver(post_save, sender=Picture, dispatch_uid="media-picture-changed")
def picture_changed(sender, instance, created=False, raw=False, **kwargs):
    """New alt text, caption or crops: the pages of every article showing it are renewed."""
    if created or raw:
        return
    article_ids = set(
        PictureUse.objects.filter(picture=instance).values_list("article_id", flat=True)
    )
    if article_ids:
        fragments.stale(pk__in=article_ids)
        for article_id in article_ids:
            invalidation.article_changed(article_id, was_public=True)
