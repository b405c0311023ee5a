"""The demo's planned coverage: the two summits of the demo article, each with a story and a
live article assigned to the demo writer, so that a newcomer finds the planning desk in use."""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Event
from articles.planning.models import Coverage
from articles.roles import WRITERS

DEMO_WRITER = {"username": "writer", "first_name": "Wendy", "last_name": "Writer"}
LONDON = zoneinfo.ZoneInfo("Europe/London")
# (event slug, kind, due, brief)
PLANNED = [
    ("uk-eu-summit-2025", Coverage.Kind.LIVE, (2025, 5, 19, 8, 0),
     "Live from Lancaster House from the leaders' arrival: the defence pact, fishing, youth "
     "mobility, and what each side says at the press conference."),
    ("uk-eu-summit-2025", Coverage.Kind.STORY, (2025, 5, 19, 18, 0),
     "The summit's outcome in 800 words: what was signed, what was left for later, reaction "
     "from Brussels and Westminster."),
    ("berlin-process-summit-2025", Coverage.Kind.LIVE, (2025, 10, 22, 8, 0),
     "Live from the summit in London: Western Balkans leaders, migration and organised crime."),
    ("berlin-process-summit-2025", Coverage.Kind.STORY, (2025, 10, 22, 18, 0),
     "What the Berlin Process summit agreed, and what it means for EU enlargement."),
]  # fmt: skip


def demo_writer():
    """The demo's writer (no password: set one with ``manage.py changepassword writer``)."""
    username = DEMO_WRITER["username"]
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={**DEMO_WRITER, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        group = Group.objects.filter(name=WRITERS).first()
        if group is not None:
            user.groups.add(group)
    return user


def plan_demo_coverage():
    """Idempotent, as ``load_demo`` is: pieces already planned are left as they are."""
    writer = demo_writer()
    events = {event.slug: event for event in Event.objects.filter(slug__in={p[0] for p in PLANNED})}
    for slug, kind, due, brief in PLANNED:
        event = events.get(slug)
        if event is None or Coverage.objects.filter(event=event, kind=kind).exists():
            continue
        Coverage.objects.create(
            event=event,
            kind=kind,
            assignee=writer,
            due_at=datetime.datetime(*due, tzinfo=LONDON),
            brief=brief,
            status=Coverage.Status.ASSIGNED,
        )
