from django.core.management.base import BaseCommand

from articles.fragments import everything_stale


class Command(BaseCommand):
    help = (
        "Forget every article's stored page parts: each is rendered again by its next "
        "reader. Run once after a rolling deployment from a release without stored parts, "
        "when no worker of the old release is left: edits made through those workers did "
        "not empty the parts they changed."
    )

    def handle(self, *args, **options):
        everything_stale()
        self.stdout.write("Every stored part will be rendered again by its next reader.")
