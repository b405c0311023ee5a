from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone

# published_q()'s language by default: the reader's (see articles.languages.reading).
READING = object()


def published_q(prefix="", language=READING):
    """
    The rule of publication as a condition: published, and due. ``prefix`` applies it
    across a relation (``"article__"``), as a join rather than a list of every public
    article's id.

    This is the only place publication is decided. Every public page, feed, sitemap
    and search starts here; a scheduled article (``published_at`` in the future)
    appears by itself when its time comes.

    A reader's page lists the articles of its language only; ``language=None`` is
    every language (the API, the sitemaps, the newsroom's own
    jobs), or name one, or several (a list).
    """
    from articles import languages
    from articles.models import Article

    condition = {
        f"{prefix}status": Article.Status.PUBLISHED,
        f"{prefix}published_at__lte": timezone.now(),
    }
    if language is READING:
        language = languages.reading()
    if isinstance(language, list | tuple):
        condition[f"{prefix}language__in"] = language
    elif language:
        condition[f"{prefix}language"] = language
    return models.Q(**condition)


def public_translations(articles, fields=("id", "language", "translation_of_id")):
    """
    For each of ``articles``, the other public articles of its translation group (its
    original and the original's translations, in any language of the site), in the
    order of the site's languages: ``{article id: [articles]}``, read in one query for
    them all, with ``fields`` (and none on a site of one language, which has none).
    """
    from articles import languages
    from articles.models import Article

    articles = list(articles)
    if not articles or not languages.is_multilingual():
        return {article.pk: [] for article in articles}

    def root(article):
        return article.translation_of_id or article.pk

    roots = {root(article) for article in articles}
    groups = defaultdict(list)
    for member in (
        Article.objects.published(language=None)
        .filter(language__in=languages.codes())
        .filter(models.Q(pk__in=roots) | models.Q(translation_of__in=roots))
        .only(*{*fields, "id", "language", "translation_of_id"})
    ):
        groups[root(member)].append(member)
    order = {code: place for place, code in enumerate(languages.codes())}
    for members in groups.values():
        members.sort(key=lambda member: order[member.language])
    return {
        article.pk: [member for member in groups[root(article)] if member.pk != article.pk]
        for article in articles
    }


class ArticleQuerySet(models.QuerySet):
    def published(self, language=READING):
        """Articles a reader may see (see published_q)."""
        return self.filter(published_q(language=language))

    def with_public_relations(self):
        """Everything an article page or a list shows, fetched in a fixed number of queries."""
        from articles.models import ArticleEvent, Quote

        return self.select_related("lead_image").prefetch_related(
            "tags",
            "authors",
            Prefetch("quotes", queryset=Quote.objects.select_related("speaker")),
            Prefetch(
                "event_links",
                queryset=ArticleEvent.objects.select_related("event").order_by("event__starts_on"),
            ),
        )

    def with_all_tags(self, tags):
        """Articles carrying every one of ``tags`` (Tag objects or ids)."""
        from articles.models import TaggedArticle

        queryset = self
        for tag in tags:
            tag_id = getattr(tag, "pk", tag)
            queryset = queryset.filter(
                Exists(TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id=tag_id))
            )
        return queryset

    def quoting(self, person):
        """Articles with at least one quote from ``person``."""
        from articles.models import Quote

        return self.filter(Exists(Quote.objects.filter(article=OuterRef("pk"), speaker=person)))

    def linked_to(self, event):
        from articles.models import ArticleEvent

        return self.filter(Exists(ArticleEvent.objects.filter(article=OuterRef("pk"), event=event)))

    def for_listing(self):
        """What a list of articles shows: headline, standfirst, date (tags: ``listed_tags``)."""
        return self.select_related("lead_image").only(
            "id", "title", "slug", "standfirst", "published_at", "publication_date", "updated_at",
            "language", "lead_image__file", "lead_image__alt", "lead_image__width",
            "lead_image__height", "lead_image__renditions", "lead_image__crops",
            "lead_image__caption", "lead_image__credit",
        )  # fmt: skip

    def for_update(self):
        """
        Rows read in order to write them: locked (on PostgreSQL) until the transaction
        ends, so that a second writer waits, then reads what the first one wrote. Checking
        an edit number and writing the next one must hold the lock in between, or two saves
        of the same version both pass the check. SQLite needs no row lock: a write
        transaction there begins by taking the whole database (``transaction_mode``).
        Outside a transaction there is nothing to hold a lock: the rows are read as usual.
        """
        if not transaction.get_connection(self.db).in_atomic_block:
            return self
        return self.select_for_update(of=("self",))


class TranslatedRow:
    """
    A plain row of a tag or event with the ``translations`` of its names (None: not
    read, as on a page in the site's first language), giving ``translated()`` as the
    model (``Translatable``) does.
    """

    __slots__ = ()

    def translated(self, field, language=None):
        """``(text, language of the text)`` of ``field`` in ``language`` (the current one)."""
        from articles import languages

        return languages.in_language(
            language or languages.current(), field, getattr(self, field), lambda: self.translations
        )


@dataclass(frozen=True)
class ListedTag(TranslatedRow):
    """A tag as a list of articles shows it: its name, and the slug of its address."""

    name: str
    slug: str
    translations: dict | None = field(default=None, compare=False)

    def __str__(self):
        return self.name


def listed_tags(articles):
    """
    ``articles`` (evaluated here) as a list, each with ``listed_tags``: its tags in the
    order they were given, as names and slugs from one query of plain rows. A list of
    twenty articles shows a hundred tags, and the news sitemap six hundred: a model
    instance and taggit's prefetch machinery for each cost more than the query.
    """
    from articles import languages
    from articles.models import TaggedArticle

    articles = list(articles)
    if not articles:
        return articles
    found = defaultdict(list)
    columns = ["content_object", "tag__name", "tag__slug"]
    if languages.is_multilingual():
        # Their names in each language, in the same query: a card shows its article's.
        columns.append("tag__profile__translations")
    rows = (
        TaggedArticle.objects.filter(content_object__in=[article.pk for article in articles])
        .order_by("pk")
        .values_list(*columns)
    )
    for article_id, *tag in rows:
        found[article_id].append(ListedTag(*tag))
    for article in articles:
        article.listed_tags = found[article.pk]
    return articles


def public_tags(language=READING):
    """Tags on at least one public article: the only ones readers may see."""
    from taggit.models import Tag

    return Tag.objects.filter(on_public_articles(Tag, language))


def _links(model):
    """The table linking ``model`` (a tag, an event or a person) to articles, with its
    subject's and its article's columns."""
    from taggit.models import Tag

    from articles.models import ArticleEvent, Event, Person, Quote, TaggedArticle

    if model is Tag:
        return TaggedArticle, "tag", "content_object"
    if model is Event:
        return ArticleEvent, "event", "article"
    if model is Person:
        return Quote, "speaker", "article"
    raise TypeError(f"{model.__name__} is not on articles")


def on_public_articles(model, language=READING):
    """
    Whether a tag, an event or a person (``model``) is on at least one public article of
    ``language`` (see published_q): tagged on it, covered by it, or quoted in it. The
    condition for the rows of a query of ``model``.
    """
    links, subject, article = _links(model)
    on_public = published_q(f"{article}__", language)
    return Exists(links.objects.filter(on_public, **{subject: OuterRef("pk")}))


def public_in(model, language):
    """
    The ids of ``model`` on a public article of ``language``, in one query read from that
    language's articles: for a language of a thousand articles in an archive of 100,000,
    16 ms, where asking each of two thousand tags in turn took 300.
    """
    links, subject, article = _links(model)
    on_public = links.objects.filter(published_q(f"{article}__", language))
    return set(on_public.values_list(subject, flat=True).distinct())


class PersonQuerySet(models.QuerySet):
    def public(self, language=READING):
        """People quoted in at least one public article; others are not shown to readers."""
        return self.filter(on_public_articles(self.model, language))


class EventQuerySet(models.QuerySet):
    def public(self, language=READING):
        """
        Events covered by at least one public article. An event known only from a draft
        (an embargoed story, say) stays out of sight.
        """
        return self.filter(on_public_articles(self.model, language))

    def with_last_day(self):
        # An event never ends before it starts (a constraint says so), so its last day is
        # ends_on, or starts_on for a one-day event: one indexed expression.
        return self.alias(last_day=Coalesce("ends_on", "starts_on"))

    def upcoming(self, today=None):
        """Events not yet over: starting today or later, or still going on."""
        today = today or timezone.localdate()
        return self.with_last_day().filter(last_day__gte=today).order_by("starts_on")

    def past(self, today=None):
        today = today or timezone.localdate()
        return self.with_last_day().filter(last_day__lt=today).order_by("-starts_on")
