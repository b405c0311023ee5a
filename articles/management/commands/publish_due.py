import datetime

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from articles.services import announce_published

LAST_RUN_KEY = "newsroom:publish-due:last-run"
FIRST_RUN_MINUTES = 60


class Command(BaseCommand):
    help = (
        "Announce the scheduled articles whose publication time has come since the last run "
        "(they are already public: publication goes by time alone), so that cached pages are "
        "renewed at once. Run it every minute or so, e.g. from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=int,
            metavar="MINUTES",
            help="look back this many minutes instead of to the last run (which stays as it "
            f"was); with neither, the first run looks back {FIRST_RUN_MINUTES} minutes",
        )

    def handle(self, *args, since=None, **options):
        now = timezone.now()
        if since is not None:
            if since <= 0:
                raise CommandError("--since takes a number of minutes above zero.")
            start = now - datetime.timedelta(minutes=since)
        else:
            start = cache.get(LAST_RUN_KEY) or now - datetime.timedelta(minutes=FIRST_RUN_MINUTES)
        due = announce_published(
            Article.objects.published(language=None)
            .filter(published_at__gt=start, published_at__lte=now)
            # Scheduled ones: due after their last save, so no save has announced them.
            .filter(published_at__gt=F("updated_at"))
            .order_by("published_at")
        )
        if since is None:
            # The last run's time lives in the shared cache, like the pages it renews: every
            # app server sees the same mark, and nothing is written to a server's disk.
            cache.set(LAST_RUN_KEY, now, timeout=None)
        when = timezone.localtime(start).strftime("%Y-%m-%d %H:%M:%S %Z")
        if not due:
            self.stdout.write(f"No scheduled article came due since {when}.")
            return
        self.stdout.write(f"{len(due)} scheduled article(s) came due since {when}:")
        for article in due:
            published = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"  {published}  {article.title}  {article.get_absolute_url()}")
