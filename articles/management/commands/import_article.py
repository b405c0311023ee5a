import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import languages
from articles.importer import ImportProblem, analyse, read_text, save_proposal


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be written YYYY-MM-DD, not “{value}”.") from error


class Command(BaseCommand):
    help = (
        "Import a story from plain text or Markdown: headline, standfirst, body with "
        "subheadings, quotes with speakers and roles, tags and events. Saved as a draft "
        "unless --publish is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a UTF-8 text or Markdown file")
        parser.add_argument("--publish", action="store_true", help="publish at once")
        parser.add_argument(
            "--date", type=iso_date, help="the story's date (YYYY-MM-DD); today by default"
        )
        parser.add_argument(
            "--language",
            choices=languages.codes(),
            default=languages.default(),
            help="the language the story is written in; the site's first by default",
        )

    def handle(self, *args, path, publish, date, language, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            proposal = analyse(read_text(source.read_bytes()), published_on=date)
            article = save_proposal(proposal, publish=publish, language=language)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from problem
        state = "Published" if publish else "Saved as a draft"
        self.stdout.write(f"{state}: “{article.title}” (id {article.pk})")
        counts = [
            (len(proposal.subheadings), "subheadings"),
            (article.quotes.count(), "quotes"),
            (article.tags.count(), "tags"),
            (article.event_links.count(), "events"),
        ]
        self.stdout.write("  " + ", ".join(f"{n} {what}" for n, what in counts))
        for quote in article.quotes.select_related("speaker"):
            self.stdout.write(f"  quote: {quote.speaker.name} ({quote.role or 'no role'})")
        for link in article.event_links.select_related("event"):
            self.stdout.write(f"  event: {link.get_kind_display()} {link.event.name}")
        skipped = [q for q in proposal.quotes if not q.speaker]
        for quote in skipped:
            self.stdout.write(f"  skipped, no speaker found: “{quote.text[:60]}…”")
        for note in proposal.notes:
            self.stdout.write(f"  note: {note}")
