import datetime
import hashlib
import secrets
import uuid
from collections import Counter

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles import languages
from articles.addresses import article_url, dated_article_url, event_url, person_url
from articles.blocks import pictures as body_pictures
from articles.blocks.body import render as render_body
from articles.querysets import ArticleQuerySet, EventQuerySet, PersonQuerySet
from articles.text import reading_minutes, without_control_characters, word_count

DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


def make_slug(value, max_length=200):
    """Slugify, reading typographic dashes as word breaks: “UK–EU Summit” → ``uk-eu-summit``."""
    return slugify(str(value).translate(DASHES))[:max_length].strip("-")


SHARE_SALT = "articles.share-link"
LEAD_IMAGE_NEEDS_ALT = _("The lead image needs alt text: add it to the picture in the library.")
SHARE_LINK_LIFETIME = datetime.timedelta(hours=48)


def byline(authors):
    """“Ann Smith, Bo Li and Cy Yu”: the authors' full names (or usernames)."""
    return joined_names([author.get_full_name() or author.get_username() for author in authors])


def joined_names(names):
    """“Ann Smith, Bo Li and Cy Yu”."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# “More on this” is counted over at most this many of an article's tags, and of its events.
MAX_NEIGHBOUR_SOURCES = 50


def new_generation():
    return secrets.randbits(62)


def default_share_expiry():
    return timezone.now() + SHARE_LINK_LIFETIME


def default_language():
    return languages.default()


def unique_slug(instance, value, max_length=200):
    """A slug for ``value`` that no other row of the instance's model uses yet."""
    base = make_slug(value, max_length) or "item"
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk)
    slug, suffix = base, 2
    while others.filter(slug=slug).exists():
        tail = f"-{suffix}"
        slug = base[: max_length - len(tail)] + tail
        suffix += 1
    return slug


class Translatable(models.Model):
    """
    A name or description readers see in each language of the site: the text as written
    (in the site's first language), and ``translations`` by language code, field by
    field: ``{"fr": {"role": "ministre des Affaires étrangères"}}``. What has no
    translation is shown as written, marked with its language.
    """

    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("By language code, the translated text of each field shown to readers."),
    )

    class Meta:
        abstract = True

    def translated(self, field, language=None):
        """``(text, language of the text)`` of ``field`` in ``language`` (the current one)."""
        # (translations not even read in the first language: the field may be deferred)
        return languages.in_language(
            language or languages.current(), field, getattr(self, field), lambda: self.translations
        )


class Person(Translatable):
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The address of this person's page. Filled in from the name if left empty."),
    )
    role = models.CharField(
        _("current role"),
        max_length=200,
        blank=True,
        help_text=_(
            "Their role or title today, e.g. “Foreign Secretary”. "
            "Each quote keeps the role they held when they said it."
        ),
    )
    organisation = models.CharField(max_length=200, blank=True)
    description = models.TextField(
        blank=True, help_text=_("A short introduction shown on their page (Markdown).")
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return person_url(self.slug)


class Event(Translatable):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        TOOK_PLACE = "took_place", _("Took place")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Exact day")
        MONTH = "month", _("Month only")
        YEAR = "year", _("Year only")

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The address of the event's page. Filled in from the name if left empty."),
    )
    starts_on = models.DateField(
        help_text=_(
            "The first day. If only the month or year is known, pick its first day, "
            "set the precision below, and the last possible day as the end."
        )
    )
    ends_on = models.DateField(
        null=True, blank=True, help_text=_("Leave empty for a one-day or open-ended event.")
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_(
            "How exactly the date is known; readers see “May 2025” rather than a made-up day."
        ),
    )
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(
        blank=True, help_text=_("A short introduction shown on the event's page (Markdown).")
    )
    url = models.URLField(
        _("external link"), blank=True, help_text=_("The organiser's page, if any.")
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]
        indexes = [
            models.Index(fields=["starts_on"]),
            models.Index(fields=["name"]),
            # An event's last day: what tells upcoming events (see EventQuerySet.upcoming).
            models.Index(Coalesce("ends_on", "starts_on"), name="event_last_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_on_not_before_starts_on",
                violation_error_message=_("An event cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return event_url(self.slug)

    @property
    def is_upcoming(self):
        return (self.ends_on or self.starts_on) >= timezone.localdate()


@reversion.register()
class TaggedArticle(TaggedItemBase):
    """Direct foreign key to Article, so tag queries join two tables, not a generic relation."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        # “Is this article tagged so?” from the tag's side, for tag pages and filters.
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_by_tag")]


@reversion.register(follow=["quotes", "event_links", "tagged_items", "corrections"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("headline"), max_length=250)
    slug = models.SlugField(
        max_length=200,
        allow_unicode=False,
        help_text=_(
            "The last part of the article's address. Two articles may share a slug "
            "only if they are published on different days."
        ),
    )
    standfirst = models.TextField(
        blank=True, help_text=_("One or two sentences under the headline that sum up the story.")
    )
    body = models.TextField(
        blank=True, help_text=_("Markdown: blank lines between paragraphs, ## for a subheading.")
    )
    body_html = models.TextField(editable=False, blank=True)
    body_items = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "The body as rendered at the last save: its text and each block "
            "(pull quote, embed, picture, gallery) with what it shows (see articles.blocks)."
        ),
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT, db_index=False)
    dateline = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Where the story was filed from, e.g. “London”. Shown before the date."),
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "When readers first see the article. A time in the future schedules it: "
            "it appears by itself when that time comes."
        ),
    )
    publication_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The local date of publication, which appears in the article's address."),
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="articles")
    lead_image = models.ForeignKey(
        "articles.Picture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text=_("A picture from the library; its alt text is needed to publish."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_document = SearchVectorField(
        null=True,
        editable=False,
        help_text=_("PostgreSQL's full-text index of headline, standfirst, body and quotes."),
    )
    edit_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Goes up by one on every save; a form based on an older number is stale."),
    )

    language = models.CharField(
        max_length=15,
        default=default_language,
        help_text=_(
            "The language the article is written in: it is read at the address of "
            "that language (/fr/articles/... for French, unless French is the site's first)."
        ),
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_(
            "The original this article translates. An original and its translations "
            "are the same story, each in its own language, each published on its own."
        ),
    )
    translation_source = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The original as it stood when this translation was last brought up to "
            "date: its edit number, headline, standfirst and body. The original's edits "
            "since then are what the translation is missing."
        ),
    )

    tags = TaggableManager(through=TaggedArticle, blank=True)
    events = models.ManyToManyField(
        Event, through="ArticleEvent", related_name="articles", blank=True
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("edit_any_article", _("Can edit every article, not only their own unpublished ones")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["publication_date", "slug", "language"],
                name="unique_article_slug_per_day",
                violation_error_message=_(
                    "Another article in this language published on the same day already "
                    "uses this slug."
                ),
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=models.Q(translation_of__isnull=False),
                name="one_translation_per_language",
                violation_error_message=_(
                    "The original already has a translation in this language."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_article_has_publication_time",
                violation_error_message=_("A published article needs a publication time."),
            ),
        ]
        indexes = [
            # What is public in a language, read from the index alone: counting the
            # newest thousand of a language (the front page's “1000+”) reads no article,
            # nor does the sitemap index's date of the latest edit of a public article.
            models.Index(
                fields=["status", "published_at", "language", "updated_at"],
                name="article_publication_language",
            ),
            models.Index(fields=["-published_at"], name="article_published_desc"),
            # Whether each of a tag's (or event's, or speaker's) articles, which their
            # indexes hand over by id, is public, read from the index alone.
            models.Index(
                fields=["id", "status", "published_at", "language"],
                name="article_id_publication",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.derive_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"publication_date", "body_html", "body_items", "slug"}
            kwargs["update_fields"] = {*update_fields, *derived}
        # One transaction even when the caller has none: the edit number read before the
        # write (signals.bump_edit_version) stays locked until the next one is written.
        using = kwargs.get("using") or router.db_for_write(Article, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return dated_article_url(self.publication_date, self.published_at, self.slug, self.language)

    @property
    def original(self):
        """The article this one translates, or itself if it is an original."""
        return self.translation_of if self.translation_of_id else self

    def clean(self):
        for field in ["title", "standfirst", "dateline"]:
            setattr(self, field, without_control_characters(getattr(self, field)).strip())
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        # A draft may use a picture whose alt text is still to be written; readers may not.
        published = self.status == self.Status.PUBLISHED
        if published and self.lead_image is not None and self.lead_image.needs_alt:
            raise ValidationError({"lead_image": LEAD_IMAGE_NEEDS_ALT})
        self.clean_language()
        self.derive_fields()

    def clean_language(self):
        """A language of the site; a translation's differs from its original's, which is one."""
        if self.language not in languages.codes():
            raise ValidationError(
                {
                    "language": gettext("“%(language)s” is not one of this site's languages.")
                    % {"language": self.language}
                }
            )
        original = self.translation_of
        if original is None:
            return
        if self.pk is not None and original.pk == self.pk:
            raise ValidationError(
                {"translation_of": gettext("An article cannot translate itself.")}
            )
        if original.translation_of_id is not None:
            raise ValidationError(
                {
                    "translation_of": gettext(
                        "Choose the original: that article is itself a translation."
                    )
                }
            )
        if original.language == self.language:
            raise ValidationError(
                {"language": gettext("A translation is in another language than its original.")}
            )

    def publication_problems(self, tag_names=None):
        """
        What stops this article from being published, field by field (empty if nothing).

        ``tag_names`` are the tags about to be saved (from a form); by default the
        article's current tags.
        """
        if tag_names is None:
            tag_names = [tag.name for tag in self.tags.all()] if self.pk else []
        problems = {}
        for field in ["title", "slug", "standfirst"]:
            if not getattr(self, field).strip():
                label = self._meta.get_field(field).verbose_name
                problems[field] = gettext("A published article needs a %(field)s.") % {
                    "field": label
                }
        if not tag_names:
            problems["tags"] = gettext("A published article needs at least one tag.")

        if self.lead_image is not None and self.lead_image.needs_alt:
            problems["lead_image"] = LEAD_IMAGE_NEEDS_ALT
        if missing := body_pictures.without_alt(self.body):
            problems["body"] = body_pictures.without_alt_message(missing)
        return problems

    @property
    def lead_picture(self):
        """What <picture> markup needs of the lead image (see media.rendering), or None."""
        from articles.media.rendering import picture_data

        return picture_data(self.lead_image) if self.lead_image_id else None

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def is_owned_by(self, user):
        """Whether ``user`` wrote this article (created it, or is one of its authors)."""
        if self.created_by_id == user.pk:
            return True
        return self.pk is not None and any(author.pk == user.pk for author in self.authors.all())

    def validate_constraints(self, exclude=None):
        # publication_date is derived from published_at, so it is never on a form, nor is
        # the language on a site of one language: check the slug-per-day constraint
        # whenever the slug and time are.
        if exclude and "publication_date" in exclude and not {"slug", "published_at"} & exclude:
            exclude = set(exclude) - {"publication_date", "language"}
        super().validate_constraints(exclude=exclude)

    def derive_fields(self):
        if not self.slug:
            self.slug = make_slug(self.title) or "article"
        self.publication_date = timezone.localdate(self.published_at) if self.published_at else None
        self.body_html, self.body_items = render_body(self)

    def related_articles(self, limit=5, sample=400, tag_ids=None, event_ids=None):
        """
        “More on this”: public articles sharing the most tags and events with this one,
        counted over the newest taggings and links of each (``sample`` in all; newest by
        article id, which an index on the tag's side hands over in order), so the cost
        stays the same however large the archive and however common the tag. The article's tags and
        events are its prefetched ones unless ``tag_ids`` and ``event_ids`` say.
        """
        if tag_ids is None:
            tag_ids = [tag.pk for tag in self.tags.all()]
        if event_ids is None:
            event_ids = [link.event_id for link in self.event_links.all()]
        shared = Counter(self.sampled_neighbours(tag_ids, event_ids, sample))
        candidates = [pk for pk, _ in shared.most_common(limit * 3)]
        if not candidates:
            return []
        from articles.listings import public_articles_among

        # Read as plain rows: building the ORM's statement cost more than running it.
        found = public_articles_among(candidates)
        ranked = sorted(found, key=lambda f: (-shared[f[0]], -f[1].published_at.timestamp()))
        return [article for _, article in ranked[:limit]]

    def sampled_neighbours(self, tag_ids, event_ids, sample):
        """
        The other articles among the newest taggings with each of ``tag_ids`` and the
        newest links to each of ``event_ids`` (``sample`` in all, shared between them),
        once per tag or event shared: any article, published or not (the few candidates
        left are filtered by the caller).

        Each tag's (or event's) newest, straight from its side of the index and no further,
        so the cost is the same for a tag on five articles as on sixty thousand, and in an
        archive of any size. One statement for all, written out: the ORM cannot combine
        sliced queries on SQLite, and building even two cost twice what they take to run,
        on every article page.
        """
        # Bounded: SQLite takes at most 500 parts in one statement.
        tag_ids, event_ids = tag_ids[:MAX_NEIGHBOUR_SOURCES], event_ids[:MAX_NEIGHBOUR_SOURCES]
        parts, params = [], []
        each = max(-(-sample // max(len(tag_ids) + len(event_ids), 1)), 40)
        for model, field, owner, ids in [
            (TaggedArticle, "tag_id", "content_object_id", tag_ids),
            (ArticleEvent, "event_id", "article_id", event_ids),
        ]:
            for pk in ids:
                parts.append(
                    f"SELECT neighbour FROM (SELECT {owner} AS neighbour"
                    f" FROM {model._meta.db_table} WHERE {field} = %s AND {owner} <> %s"
                    f" ORDER BY {owner} DESC LIMIT %s) AS sample_{len(parts)}"
                )
                params += [pk, self.pk, each]
        if not parts:
            return []
        with connections[router.db_for_read(Article)].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return [neighbour for (neighbour,) in cursor.fetchall()]

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def byline(self):
        return byline(self.authors.all())

    @property
    def reading_minutes(self):
        """Minutes to read the standfirst and body, as the article form counts them."""
        return reading_minutes(word_count(self.standfirst, self.body))


@reversion.register()
class Quote(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quotes")
    role = models.CharField(
        _("role when speaking"),
        max_length=200,
        blank=True,
        help_text=_(
            "The speaker's role at the time, e.g. “Foreign Secretary”. Kept as it was "
            "even when the person later changes job."
        ),
    )
    text = models.TextField(help_text=_("The words, without quotation marks."))
    original_text = models.TextField(
        blank=True,
        help_text=_("When the words above are a translation: the words as they were said."),
    )
    original_language = models.CharField(
        max_length=15,
        blank=True,
        help_text=_("When the words above are a translation: the language they were said in."),
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order of the quote within the article: 1, 2, 3…")
    )
    # Said in a live update (see articles.live): shown with it, and edited with it.
    update = models.ForeignKey(
        "articles.LiveUpdate",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="quotes",
    )

    class Meta:
        ordering = ["article", "position"]
        # “Does this article quote them?” for speaker pages and filters; and a speaker's
        # quotes put in order (article, then position) from the index alone.
        indexes = [models.Index(fields=["speaker", "article", "position"], name="quote_by_speaker")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"],
                name="unique_quote_position_per_article",
                violation_error_message=_("Two quotes in this article have the same position."),
            )
        ]

    def __str__(self):
        return f"{self.speaker}: “{self.text[:60]}”"

    @property
    def is_translation(self):
        """Whether the text is a translation of words said in another language."""
        return bool(self.original_language)


@reversion.register()
class ArticleEvent(models.Model):
    class Kind(models.TextChoices):
        REPORTS_ON = "reports_on", _("Reports on")
        PREVIEWS = "previews", _("Previews")
        MENTIONS = "mentions", _("Mentions")
        FOLLOWS_UP = "follows_up", _("Follows up")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="event_links")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="article_links")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.MENTIONS)

    class Meta:
        ordering = ["event__starts_on"]
        verbose_name = _("related event")
        indexes = [models.Index(fields=["event", "article"], name="link_by_event")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "event"],
                name="unique_article_event",
                violation_error_message=_("This event is already linked to the article."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.event}"


@reversion.register()
class Correction(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(help_text=_("What was wrong and what is right now. Shown to readers."))
    published_at = models.DateTimeField(
        _("correction time"),
        default=timezone.now,
        help_text=_("When the correction was made; listed newest first on the corrections page."),
    )

    class Meta:
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["-published_at"], name="correction_published_desc")]

    def __str__(self):
        return gettext("Correction to “%(article)s”") % {"article": self.article}


class ArticleRendering(models.Model):
    """
    The parts of an article's public pages rendered once, kept until what they show
    changes (see ``articles.fragments``): its card in lists, its page's <head> tags and
    the story itself. Derived data, never edited, exported or kept in revisions.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="rendering"
    )
    # Raised, and the parts emptied, in the same transaction as any change they show: a
    # rendering begun before the change can then never be stored over it. Starts anywhere,
    # so that a row made again (an article deleted and recovered) never repeats one.
    generation = models.PositiveBigIntegerField(default=new_generation)
    # Which templates and settings rendered the parts; others count as not rendered.
    version = models.CharField(max_length=64, blank=True)
    card = models.TextField(blank=True)
    head = models.TextField(blank=True)
    page = models.TextField(blank=True)
    # What the page shows, as surrogate keys (``article-1 tag-3 event-7 person-9``).
    keys = models.TextField(blank=True)

    def __str__(self):
        return f"Rendering of article {self.article_id}"


class ShareLink(models.Model):
    """
    A read-only link to an unpublished article for someone outside the newsroom.

    The URL carries a signed token naming this row; deleting the row revokes the link.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.CharField(
        max_length=200, blank=True, help_text=_("Who the link is for, e.g. “legal review”.")
    )
    expires_at = models.DateTimeField(
        default=default_share_expiry, help_text=_("The link stops working after this time.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, editable=False, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return gettext("Share link for “%(article)s”") % {"article": self.article}

    def get_absolute_url(self):
        return reverse(
            "articles:share", kwargs={"token": signing.dumps(str(self.key), salt=SHARE_SALT)}
        )

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class TagProfile(Translatable):
    """What the newsroom says about a tag beyond its name."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, related_name="profile")
    description = models.TextField(
        blank=True, help_text=_("A short introduction shown on the tag's page (Markdown).")
    )
    is_topic = models.BooleanField(
        _("topic"), default=False, help_text=_("Feature this tag on the front page.")
    )

    class Meta:
        indexes = [models.Index(fields=["is_topic"])]

    def __str__(self):
        return gettext("About “%(tag)s”") % {"tag": self.tag}

    @property
    def name(self):
        """The tag's name as written, which ``translations`` may give in other languages."""
        return self.tag.name


class SlugRedirect(models.Model):
    """
    An old address of a tag, person or event, kept working after a rename or a merge.

    Always points at the current slug: renaming twice leaves one hop, not a chain.
    """

    class Kind(models.TextChoices):
        TAG = "tag", _("Tag")
        PERSON = "person", _("Person")
        EVENT = "event", _("Event")

    kind = models.CharField(max_length=6, choices=Kind)
    old_slug = models.CharField(max_length=200)
    new_slug = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="unique_redirect_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.old_slug} → {self.new_slug}"


class ArticleAddressQuerySet(models.QuerySet):
    def leading_to_public(self):
        """Old addresses of articles readers may see now: the only ones that redirect."""
        from articles.querysets import published_q

        return self.filter(published_q("article__"))


class ArticleAddress(models.Model):
    """
    An address an article left after readers could see it there (its slug or publication
    date changed, or it was taken off the site), kept answering with a 301 to wherever
    the article lives now.

    It names the article, not a new address: however often the article moves, each of
    its old addresses leads to the current one in one hop.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_addresses")
    publication_date = models.DateField()
    slug = models.SlugField(max_length=200, db_index=False)  # the constraint's index serves
    left_at = models.DateTimeField(auto_now=True)

    objects = ArticleAddressQuerySet.as_manager()

    class Meta:
        ordering = ["-left_at"]
        verbose_name = _("old article address")
        verbose_name_plural = _("old article addresses")
        constraints = [
            # One article per old address: the last one to leave it.
            models.UniqueConstraint(
                fields=["publication_date", "slug"], name="unique_old_article_address"
            )
        ]

    def __str__(self):
        return self.get_absolute_url()

    def get_absolute_url(self):
        return article_url(self.publication_date, self.slug)

    @classmethod
    def keep(cls, article, publication_date, slug):
        """``article`` has left ``publication_date``/``slug``: the address now leads to it."""
        cls.objects.using(article._state.db).update_or_create(
            publication_date=publication_date, slug=slug, defaults={"article": article}
        )


class MergeRecord(models.Model):
    """Who merged which tags, people or events into which, and what moved."""

    kind = models.CharField(max_length=6, choices=SlugRedirect.Kind)
    survivor_name = models.CharField(max_length=200)
    survivor_slug = models.CharField(max_length=200)
    merged = models.JSONField(help_text=_("The names and slugs merged away."))
    moved = models.PositiveIntegerField(help_text=_("Taggings, quotes or links moved."))
    dropped_duplicates = models.PositiveIntegerField(
        default=0, help_text=_("Rows not moved because the survivor already had them.")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self):
        names = ", ".join(item["name"] for item in self.merged)
        return f"{names} → {self.survivor_name}"


API_TOKEN_PREFIX = "nr_"


def hash_api_token(raw):
    """The stored form of a token: sha256 of a long random secret needs no salt or stretching."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def authenticate(self, raw):
        """The active token whose secret is ``raw``, or None."""
        if not raw or not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 200:
            return None
        return self.active().select_related("user").filter(key_hash=hash_api_token(raw)).first()


class ApiToken(models.Model):
    """
    A secret that lets a program send stories to the ingest API as ``user``.

    Only its hash is stored: the token itself is shown once, when an editor creates it.
    Revoking keeps the row, so it stays clear afterwards who sent what with it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("Drafts sent with this token belong to this person."),
    )
    name = models.CharField(
        max_length=100, help_text=_("What the token is for, e.g. “Agency feed” or “Mobile app”.")
    )
    key_prefix = models.CharField(
        max_length=16, editable=False, help_text=_("The first characters, to recognise the token.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, user, name, created_by=None):
        """A new token for ``user``: returns (token, raw secret). The secret is not kept."""
        token = cls(user=user, name=name, created_by=created_by)
        raw = token.set_secret()
        token.save()
        return token, raw

    def set_secret(self):
        """Give this (unsaved) token a fresh secret; returns the raw secret, shown once."""
        raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.key_prefix, self.key_hash = raw[:10], hash_api_token(raw)
        return raw

    @property
    def is_active(self):
        return self.revoked_at is None and self.user.is_active


from articles.desk.models import Autosave  # noqa: E402, F401 - the writing desk's model, in this app
from articles.embeds.models import Embed  # noqa: E402, F401 - embeds in bodies, in this app
from articles.live.models import LiveCoverage, LiveUpdate  # noqa: E402, F401 - live coverage
from articles.media.models import Picture, PictureUse  # noqa: E402, F401 - the media library
from articles.planning.models import Coverage, EventPlanning  # noqa: E402, F401 - the planning desk
from articles.translations.models import TranslatorLanguages  # noqa: E402, F401 - who writes which language
