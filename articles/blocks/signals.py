"""
Bodies stay as fresh as what their blocks show: a quote, its speaker, an embed changing
renders again, in the same transaction, the bodies that show it (``body.rerender``), and
an article's saved body says which embeds it shows.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from articles.blocks.body import embed_urls, rerender
from articles.embeds.models import Embed
from articles.markdown import BLOCK_MARKER
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
for signal in (post_save, post_delete):
    signal.connect(quote_changed, sender=Quote, dispatch_uid=f"blocks-quote-{signal is post_save}")
post_save.connect(speaker_changed, sender=Person, dispatch_uid="blocks-speaker")
post_save.connect(embed_saved, sender=Embed, dispatch_uid="blocks-embed-saved")
pre_delete.connect(embed_deleting, sender=Embed, dispatch_uid="blocks-embed-deleting")
post_delete.connect(embed_deleted, sender=Embed, dispatch_uid="blocks-embed-deleted")
