"""An Atom feed of a live article's updates, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from articles.invalidation import key_for, show
from articles.live.pages import updates_of
from articles.live.views import live_article

FEED_UPDATES = 50


class LiveUpdatesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, year, month, day, slug):
        article = live_article(year, month, day, slug)
        show(request, key_for(article))
        return article

    def title(self, article):
        return gettext("%(headline)s: live updates") % {"headline": article.title}

    def link(self, article):
        return article.get_absolute_url()

    def subtitle(self, article):
        return article.standfirst

    def items(self, article):
        return updates_of(article, FEED_UPDATES)

    def item_title(self, update):
        return update.headline or update.body[:100]

    def item_description(self, update):
        return update.body_html

    def item_link(self, update):
        return update.get_absolute_url()

    def item_guid(self, update):
        return update.get_absolute_url()

    def item_pubdate(self, update):
        return update.published_at

    def item_updateddate(self, update):
        return max(update.updated_at, update.published_at)

    def item_author_name(self, update):
        if update.author is not None:
            return update.author.get_full_name() or update.author.get_username()
        return None
