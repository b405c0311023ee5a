"""
Bodies stay as fresh as what their blocks show: a quote, its speaker, an embed or a
library picture changing renders again, in the same transaction, the bodies that show it
(``body.rerender``), and an article's saved body says which embeds and pictures it shows
(a picture a body shows cannot be deleted).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from articles.blocks.body import embed_urls, rerender
from articles.blocks.pictures import placed_ids
from articles.embeds.models import Embed
from articles.markdown import BLOCK_MARKER
from articles.media.models import Picture, PictureUse
from articles.media.usage import record_body_pictures
from articles.models import Article, Person, Quote


def with_blocks(**lookups):
    return Article.objects.filter(body__contains=BLOCK_MARKER, **lookups)


def link_embeds(sender, instance, created=False, raw=False, **kwargs):
    """The article's embeds are those its body, as saved, shows."""
    if raw:
        return
    urls = embed_urls(instance.body_items)
    if urls:
        instance.embeds.set(Embed.objects.filter(url__in=urls))
    elif not created:
        Embed.articles.through.objects.filter(article_id=instance.pk).delete()


def link_pictures(sender, instance, created=False, raw=False, **kwargs):
    """The article's body uses of library pictures are those its body, as saved, shows:
    whatever saved it (a form, the API, the importer, a restored revision)."""
    if raw:
        return
    ids = placed_ids(instance.body_items)
    if ids:
        record_body_pictures(instance, ids)
    elif not created:
        PictureUse.objects.filter(article=instance, kind=PictureUse.Kind.BODY).delete()


# What a body shows of a picture: a change to any other field (its uploader) renders nothing.
SHOWN_PICTURE_FIELDS = {"alt", "caption", "credit", "focal_x", "focal_y", "crops", "renditions"}


def picture_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if created or raw or (update_fields is not None and not SHOWN_PICTURE_FIELDS & update_fields):
        return
    shown_in = PictureUse.objects.filter(picture=instance, kind=PictureUse.Kind.BODY)
    rerender(Article.objects.filter(pk__in=shown_in.values("article_id")))


def quote_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        rerender(with_blocks(pk=instance.article_id))


def speaker_changed(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        rerender(with_blocks(pk__in=Quote.objects.filter(speaker=instance).values("article_id")))


def embed_saved(sender, instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        rerender(instance.articles.all())


def embed_deleting(sender, instance, **kwargs):
    instance.shown_in = list(instance.articles.values_list("pk", flat=True))


def embed_deleted(sender, instance, **kwargs):
    """Its articles show the address alone now; its thumbnail goes once that is committed."""
    from articles.images import delete_pictures

    rerender(Article.objects.filter(pk__in=getattr(instance, "shown_in", [])))
    files = instance.thumbnail_files()
    if files:
        transaction.on_commit(lambda: delete_pictures(files))


post_save.connect(link_embeds, sender=Article, dispatch_uid="blocks-link-embeds")
post_save.connect(link_pictures, sender=Article, dispatch_uid="blocks-link-pictures")
post_save.connect(picture_saved, sender=Picture, dispatch_uid="blocks-picture-saved")
for signal in (post_save, post_delete):
    signal.connect(quote_changed, sender=Quote, dispatch_uid=f"blocks-quote-{signal is post_save}")
post_save.connect(speaker_changed, sender=Person, dispatch_uid="blocks-speaker")
post_save.connect(embed_saved, sender=Embed, dispatch_uid="blocks-embed-saved")
pre_delete.connect(embed_deleting, sender=Embed, dispatch_uid="blocks-embed-deleting")
post_delete.connect(embed_deleted, sender=Embed, dispatch_uid="blocks-embed-deleted")
