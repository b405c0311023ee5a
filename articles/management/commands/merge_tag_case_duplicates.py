from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db.models import Count
from taggit.models import Tag

from articles.vocabulary import merge


class Command(BaseCommand):
    help = (
        "Merge tags that differ only in case (“Ukraine”, “ukraine”) into the most used one. "
        "Old addresses redirect; each merge is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list what would merge")

    def handle(self, *args, dry_run, **options):
        groups = defaultdict(list)
        tags = Tag.objects.annotate(uses=Count("articles_taggedarticle_items")).order_by(
            "-uses", "pk"
        )
        for tag in tags:
            groups[tag.name.casefold()].append(tag)
        duplicates = [group for group in groups.values() if len(group) > 1]
        for survivor, *others in duplicates:
            names = ", ".join(f"“{other.name}”" for other in others)
            if dry_run:
                self.stdout.write(f"Would merge {names} into “{survivor.name}”")
                continue
            record = merge(survivor, others)
            self.stdout.write(f"Merged {names} into “{survivor.name}” ({record.moved} moved)")
        if not duplicates:
            self.stdout.write("No tags differ only in case.")
