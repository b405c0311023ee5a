from django.core.management.base import BaseCommand

from articles.demo import load_demo, load_live_demo


class Command(BaseCommand):
    help = "Load the demo article (UK–EU talks, 18 March 2025) with its quotes, tags and events."

    def handle(self, *args, **options):
        article, created = load_demo()
        verb = "Loaded" if created else "Already present:"
        self.stdout.write(f"{verb} “{article.title}” at {article.get_absolute_url()}")
        live, created = load_live_demo()
        verb = "Loaded" if created else "Already present:"
        self.stdout.write(f"{verb} “{live.title}” (live, closed) at {live.get_absolute_url()}")
        self.stdout.write(
            "Planned coverage of the UK–EU Summit: /admin/planning/?start=2025-05-19 "
            "(assigned to the demo writer, “writer”)"
        )
