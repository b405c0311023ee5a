from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from articles.models import Article, Event, Person


@receiver(pre_save, sender=Article)
def bump_edit_version(sender, instance, raw, **kwargs):
    """
    Every write of an article, restoring a revision included, raises its edit version.

    A signal rather than save(): restoring a revision writes the row without calling
    save(), and a restore must still make older open forms stale.
    """
    if instance.pk is None:
        instance.edit_version = 1
        return
    current = Article.objects.filter(pk=instance.pk).values_list("edit_version", flat=True).first()
    instance.edit_version = (current or 0) + 1


@receiver(post_migrate)
def create_roles(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "articles":
        from articles.roles import ensure_roles

        ensure_roles()


@receiver(post_delete, sender=Article)
def delete_lead_image_files(sender, instance, **kwargs):
    """A deleted article takes its pictures with it, once the deletion is committed."""
    from articles.images import delete_pictures

    files = instance.lead_image_files()
    if files:
        transaction.on_commit(lambda: delete_pictures(files))


def remember_old_slug(sender, instance, raw, **kwargs):
    if raw or instance.pk is None:
        return
    instance._slug_before_save = (
        sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    )


def redirect_old_slug(sender, instance, raw, **kwargs):
    """A renamed tag, person or event keeps its old address as a permanent redirect."""
    from articles.vocabulary import KINDS, record_slug_change

    old = getattr(instance, "_slug_before_save", None)
    if old and old != instance.slug:
        record_slug_change(KINDS[sender], old, instance.slug)


for vocabulary_model in (Tag, Person, Event):
    pre_save.connect(
        remember_old_slug,
        sender=vocabulary_model,
        dispatch_uid=f"old-slug-{vocabulary_model.__name__}",
    )
    post_save.connect(
        redirect_old_slug,
        sender=vocabulary_model,
        dispatch_uid=f"redirect-{vocabulary_model.__name__}",
    )


def connect_cache_invalidation():
    """Anything a reader can see changing makes every cached page out of date."""
    from django.db.models.signals import m2m_changed, post_delete

    from articles.cache import content_changed
    from articles.models import (
        ArticleEvent,
        Correction,
        Quote,
        SlugRedirect,
        TaggedArticle,
        TagProfile,
    )

    for model in (Article, Quote, ArticleEvent, Correction, TaggedArticle, Tag, TagProfile,
                  Person, Event, SlugRedirect):  # fmt: skip
        name = model.__name__
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{name}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-delete-{name}")
    m2m_changed.connect(
        content_changed, sender=Article.authors.through, dispatch_uid="cache-authors"
    )


connect_cache_invalidation()


def refresh_search_document(sender, instance, raw=False, **kwargs):
    """Keep PostgreSQL's stored search vector in step with the article and its quotes."""
    from articles.search import update_search_documents

    article_id = instance.pk if sender is Article else instance.article_id
    update_search_documents(Article.objects.filter(pk=article_id))


def connect_search_index():
    from articles.models import Quote

    post_save.connect(refresh_search_document, sender=Article, dispatch_uid="search-article")
    post_save.connect(refresh_search_document, sender=Quote, dispatch_uid="search-quote")
    post_delete.connect(refresh_search_document, sender=Quote, dispatch_uid="search-quote-gone")


connect_search_index()
