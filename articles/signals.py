from django.db import connections
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver
from taggit.models import Tag

from articles import fragments, invalidation, languages
from articles.models import (
    Article,
    ArticleAddress,
    ArticleEvent,
    Correction,
    Event,
    Person,
    Quote,
    SlugRedirect,
    TaggedArticle,
    TagProfile,
)


@receiver(pre_save, sender=Article)
def bump_edit_version(sender, instance, raw, **kwargs):
    """
    Every write of an article, restoring a revision included, raises its edit version,
    and notes what the write changes of the article as saved: whether it was published,
    and the address readers could see it at (for keep_old_address).

    A signal rather than save(): restoring a revision writes the row without calling
    save(), and a restore must still make older open forms stale.
    """
    instance._public_address_before = None
    if instance.pk is None:
        instance.edit_version = 1
        return
    # Locked until the save commits: two saves at once get one number each, not both the same.
    saved = (
        Article.objects.using(kwargs["using"])
        .filter(pk=instance.pk)
        .for_update()
        .values("edit_version", "status", "published_at", "publication_date", "slug")
        .first()
    ) or {"edit_version": 0, "status": None}
    instance.edit_version = saved["edit_version"] + 1
    # Unpublishing must still renew the pages that showed the article.
    instance._was_published = saved["status"] == Article.Status.PUBLISHED
    # Public as saved, by the model's own rule (Article.is_public).
    if Article(status=saved["status"], published_at=saved.get("published_at")).is_public:
        instance._public_address_before = (saved["publication_date"], saved["slug"])


@receiver(post_save, sender=Article)
def keep_old_address(sender, instance, **kwargs):
    """
    An article leaving the address readers knew it by keeps that address leading to it
    (see ArticleAddress), in the same transaction as the save, whatever made it: a form,
    a bulk action, a restored revision. Taken off the site, it keeps its address too, so
    that a story pulled, renamed and published again still answers at its old address.
    """
    left = getattr(instance, "_public_address_before", None)
    if left is None:
        return
    here = (instance.publication_date, instance.slug)
    if left != here:
        # Back at an address it had left: the address is its own again.
        instance.old_addresses.filter(publication_date=here[0], slug=here[1]).delete()
        ArticleAddress.keep(instance, *left)
    elif instance.status != Article.Status.PUBLISHED:
        ArticleAddress.keep(instance, *left)


@receiver(post_migrate)
def create_roles(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "articles":
        from articles.roles import ensure_roles

        ensure_roles()


@receiver(post_migrate)
def refresh_planner_statistics(sender, app_config=None, using="default", **kwargs):
    """
    SQLite plans queries from the statistics ANALYZE keeps, and nothing else keeps them
    (PostgreSQL's autovacuum does): without them, a tag's newest articles were found by
    sorting the whole archive (200 ms at 100,000 articles) rather than read backwards
    from an index (7 ms). Every deployment migrates, so the statistics follow the
    archive as it grows. A full ANALYZE (about 2 s at 100,000 articles): sampled
    statistics (``analysis_limit``) misjudged the status column and chose the sort.
    """
    if app_config is not None and app_config.label == "articles":
        refresh_sqlite_statistics(connections[using])


def refresh_sqlite_statistics(connection):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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


def article_saved(sender, instance, created=False, **kwargs):
    if created:
        fragments.ensure_rendering([instance.pk])
    elif kwargs["signal"] is post_save:
        fragments.stale(pk=instance.pk)
    was_public = (
        getattr(instance, "_was_published", False) or instance.status == Article.Status.PUBLISHED
    )
    invalidation.article_changed(instance.pk, was_public=was_public)
    if was_public and languages.is_multilingual():
        translations_changed(instance)


def translations_changed(article):
    """
    A public article of a translation group published, unpublished, moved, edited or
    deleted: the pages of the others in its group link to it (the language switcher,
    ``hreflang``).
    """
    others = getattr(article, "_group_before", None)
    if others is None:
        others = translation_group(article)
    others = [pk for pk in others if pk != article.pk]
    if others:
        invalidation.pages_changed(*(f"article-{pk}" for pk in others))


def translation_group(article):
    """The ids of ``article``'s original and of every translation of it."""
    original_id = article.translation_of_id or article.pk
    group = Article.objects.filter(Q(pk=original_id) | Q(translation_of_id=original_id))
    return list(group.values_list("pk", flat=True))


def remember_translation_group(sender, instance, **kwargs):
    """
    Before an article is deleted: its group, which the deletion of an original undoes
    (its translations then translate nothing) before ``post_delete`` could ask.
    """
    if languages.is_multilingual():
        instance._group_before = translation_group(instance)


def article_related_changed(sender, instance, **kwargs):
    """A quote, tagging, event link or correction: its article changed (and the one it
    was on before, if moved), and so did the speaker, tag or event it names (the one it
    named before, too)."""
    article_field, other = RELATIONS.get(sender, ("article_id", None))
    keys = set()
    if other is not None:
        field, kind = other
        keys.add(f"{kind}-{getattr(instance, field)}")
        keys.update(getattr(instance, "_named_before", ()))
    article_ids = {getattr(instance, article_field), *getattr(instance, "_article_before", ())}
    if getattr(instance, "update_id", None) is not None:
        # Said in a live update: its page and the speaker's change, not every list.
        fragments.stale(pk__in=article_ids)
        for article_id in article_ids:
            invalidation.live_changed(article_id, *keys)
        return
    fragments.stale(pk__in=article_ids)
    for article_id in article_ids:
        invalidation.article_changed(article_id, *keys)


def remember_before(sender, instance, raw=False, **kwargs):
    """Before a quote, link or correction changes, note the article (and the speaker, tag
    or event) it was on."""
    if raw or instance.pk is None:
        return
    article_field, other = RELATIONS.get(sender, ("article_id", None))
    fields = [article_field] + ([other[0]] if other else [])
    before = sender.objects.filter(pk=instance.pk).values_list(*fields).first()
    if before is None:
        return
    if before[0] != getattr(instance, article_field):
        instance._article_before = {before[0]}
    if other is not None and before[1] != getattr(instance, other[0]):
        instance._named_before = {f"{other[1]}-{before[1]}"}


def authors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        article_ids = (pk_set or ()) if reverse else [instance.pk]
        fragments.stale(pk__in=article_ids)
        for article_id in article_ids:
            invalidation.article_changed(article_id)


def vocabulary_saved(sender, instance, created=False, **kwargs):
    if created and sender in (Tag, Person, Event):
        return  # no page shows it until an article uses it, which renews that article's pages
    if sender is TagProfile:
        if languages.is_multilingual():
            # Its name in other languages shows on the stored parts of its articles.
            fragments.stale_naming(Tag(pk=instance.tag_id))
        invalidation.vocabulary_changed(f"tag-{instance.tag_id}")
    elif sender is SlugRedirect:
        invalidation.vocabulary_changed()
    else:
        fragments.stale_naming(instance)
        invalidation.vocabulary_changed(invalidation.key_for(instance))


def remember_author_names(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before an account is saved: whether the name bylines show is changing."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(NAME_FIELDS) & set(update_fields):
        return  # a login's last_login, a password: no name changes
    before = sender.objects.filter(pk=instance.pk).values_list(*NAME_FIELDS).first()
    instance._renamed = before != tuple(getattr(instance, field) for field in NAME_FIELDS)


NAME_FIELDS = ("first_name", "last_name", "username")


def author_saved(sender, instance, **kwargs):
    """A writer renamed: the bylines of their articles change, published or not."""
    if getattr(instance, "_renamed", False):
        bylines_changed(instance)


def author_deleted(sender, instance, **kwargs):
    bylines_changed(instance)


def bylines_changed(author):
    """The articles of ``author`` show another byline (a rename, or the account deleted)."""
    fragments.stale_and_again_on_commit(authors=author)
    for article_id in author.articles.values_list("pk", flat=True):
        invalidation.article_changed(article_id)


RELATIONS = {
    Quote: ("article_id", ("speaker_id", "person")),
    TaggedArticle: ("content_object_id", ("tag_id", "tag")),
    ArticleEvent: ("article_id", ("event_id", "event")),
}


def connect_cache_invalidation():
    """Whatever readers can see, changing, renews the pages that show it (see invalidation)."""
    for name, signal in {"save": post_save, "delete": post_delete}.items():
        signal.connect(article_saved, sender=Article, dispatch_uid=f"cache-{name}-Article")
        for model in (*RELATIONS, Correction):
            signal.connect(
                article_related_changed,
                sender=model,
                dispatch_uid=f"cache-{name}-{model.__name__}",
            )
        for model in (Tag, TagProfile, Person, Event, SlugRedirect):
            signal.connect(
                vocabulary_saved, sender=model, dispatch_uid=f"cache-{name}-{model.__name__}"
            )
    for model in (*RELATIONS, Correction):
        pre_save.connect(
            remember_before, sender=model, dispatch_uid=f"cache-before-{model.__name__}"
        )
    m2m_changed.connect(
        authors_changed, sender=Article.authors.through, dispatch_uid="cache-authors"
    )
    user_model = Article.authors.field.related_model
    pre_save.connect(remember_author_names, sender=user_model, dispatch_uid="cache-before-author")
    post_save.connect(author_saved, sender=user_model, dispatch_uid="cache-author")
    pre_delete.connect(
        remember_translation_group, sender=Article, dispatch_uid="cache-translations-deleted"
    )
    # Before: the deletion takes the authorship rows with it, and sends no m2m_changed.
    pre_delete.connect(author_deleted, sender=user_model, dispatch_uid="cache-author-deleted")


connect_cache_invalidation()


def refresh_search_document(sender, instance, raw=False, **kwargs):
    """Keep PostgreSQL's stored search vector in step with the article and its quotes."""
    from articles.search import update_search_documents

    article_id = instance.pk if sender is Article else instance.article_id
    update_search_documents(Article.objects.filter(pk=article_id))


def forget_search_document(sender, instance, **kwargs):
    from articles.search import remove_from_search_index

    remove_from_search_index(instance.pk)


def connect_search_index():
    post_save.connect(refresh_search_document, sender=Article, dispatch_uid="search-article")
    post_delete.connect(forget_search_document, sender=Article, dispatch_uid="search-gone")
    post_save.connect(refresh_search_document, sender=Quote, dispatch_uid="search-quote")
    post_delete.connect(refresh_search_document, sender=Quote, dispatch_uid="search-quote-gone")


connect_search_index()

from articles.media import signals as media_signals  # noqa: E402, F401 - the library's receivers
