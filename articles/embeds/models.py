"""The embed record: an address the newsroom embeds, and what its provider said of it."""

from urllib.parse import unquote

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.embeds import fetch, providers


class EmbedQuerySet(models.QuerySet):
    def for_urls(self, urls, create=False):
        """
        {url: Embed} for ``urls`` (recognised addresses), read in one query. With
        ``create``, an address not yet recorded is recorded now, with what its provider
        says (asked once; see ``fetch``); without, it is an unsaved Embed from the address
        alone.
        """
        urls = list(dict.fromkeys(urls))
        found = {embed.url: embed for embed in self.filter(url__in=urls)} if urls else {}
        for url in urls:
            if url not in found:
                embed = Embed.from_url(url)
                if create:
                    embed.refresh(save=False)
                    embed.save()
                    embed.recorded_now = True
                found[url] = embed
        return found


class Embed(models.Model):
    """
    A video, post or document embedded in stories by its address. Its title, author and
    thumbnail were asked of the provider once; readers see them before choosing to load
    the provider's frame.
    """

    Provider = models.TextChoices(
        "Provider", [(p.key.upper(), (p.key, p.name)) for p in providers.PROVIDERS.values()]
    )

    url = models.URLField(_("address"), max_length=providers.MAX_URL_LENGTH, unique=True)
    provider = models.CharField(max_length=20, choices=Provider)
    title = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    author_url = models.URLField(_("author's address"), max_length=500, blank=True)
    frame_url = models.URLField(
        _("frame address"),
        max_length=500,
        blank=True,
        help_text=_("What a reader's browser loads when they choose to: empty for a link only."),
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.ImageField(upload_to="embeds/%Y/%m/", blank=True)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_renditions = models.JSONField(default=list, blank=True, editable=False)
    fetched_at = models.DateTimeField(
        _("described at"), null=True, blank=True, help_text=_("When the provider last answered.")
    )
    fetch_problem = models.CharField(
        _("last problem"),
        max_length=300,
        blank=True,
        help_text=_("Why the provider's answer is missing."),
    )
    articles = models.ManyToManyField(
        "articles.Article",
        related_name="embeds",
        blank=True,
        editable=False,
        help_text=_("The articles whose body shows it, as last saved."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmbedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.url

    @classmethod
    def from_url(cls, url):
        """An unsaved embed of a recognised ``url`` (raises providers.UnknownEmbed)."""
        match = providers.recognise(url)
        return cls(url=url, provider=match.provider.key, frame_url=match.frame_url())

    @property
    def match(self):
        return providers.recognise(self.url)

    def refresh(self, save=True):
        """Ask the provider again (or for the first time). Returns the problem, or ""."""
        from articles.images import delete_pictures, store_picture

        match = self.match
        if save:
            fetch.forget(self.url)
        fetched = fetch.fetch(match)
        self.fetch_problem = fetched.problem[:300]
        metadata = fetched.metadata
        if metadata:
            self.fetched_at = timezone.now()
            for name in ("title", "author_name", "author_url", "width", "height"):
                setattr(self, name, metadata[name])
            self.frame_url = match.frame_url(metadata)
        elif not self.frame_url:
            self.frame_url = match.frame_url()
        replaced = []
        if fetched.thumbnail is not None:
            replaced = self.thumbnail_files()
            master, width, height, renditions = store_picture(fetched.thumbnail, folder="embeds")
            self.thumbnail = master
            self.thumbnail_width, self.thumbnail_height = width, height
            self.thumbnail_renditions = renditions
        if save:
            self.save()
        if replaced:
            transaction.on_commit(lambda: delete_pictures(replaced))
        return self.fetch_problem

    def thumbnail_files(self):
        if not self.thumbnail:
            return []
        return [self.thumbnail.name] + [r["name"] for r in self.thumbnail_renditions]

    @property
    def provider_name(self):
        return providers.PROVIDERS[self.provider].name

    def item(self):
        """The embed as a body's item (see articles.blocks): all a page or feed shows."""
        frame_url = self.frame_url
        try:
            match = self.match
        except providers.UnknownEmbed:
            # Recorded from a provider no longer embedded (a Mastodon server taken off
            # EMBED_MASTODON_HOSTS): still described, but never framed.
            provider = providers.PROVIDERS[self.provider]
            match = providers.Match(provider, self.url, {"file": self.url.rsplit("/", 1)[-1]})
            frame_url = ""
        thumbnail = None
        jpegs = [r for r in self.thumbnail_renditions if r["format"] == "jpeg"]
        if self.thumbnail and jpegs:
            storage = self.thumbnail.storage
            fallback = min(jpegs, key=lambda r: abs(r["width"] - 960))
            thumbnail = {
                "src": storage.url(fallback["name"]),
                "srcset": ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in jpegs),
                "width": self.thumbnail_width,
                "height": self.thumbnail_height,
            }
        return {
            "type": "embed",
            "url": self.url,
            "provider": match.provider.key,
            "provider_name": match.provider.name,
            "kind": match.provider.kind,
            "title": self.title or default_title(match),
            "author_name": self.author_name,
            "author_url": self.author_url,
            "frame_url": frame_url,
            "width": self.width,
            "height": self.height,
            "thumbnail": thumbnail,
        }


def default_title(match):
    if match.provider.key == "pdf":
        return unquote(match.ids["file"])
    return f"{match.provider.name} {match.provider.kind}"
