import datetime
from dataclasses import dataclass, field


class ImportProblem(ValueError):
    """Input the importer cannot use, with a message for the person who gave it."""


@dataclass
class ProposedPerson:
    name: str
    role: str = ""
    existing_id: int | None = None


@dataclass
class ProposedQuote:
    text: str
    speaker: str = ""  # a name; empty when nobody could be identified
    role: str = ""
    position: int = 1
    evidence: str = ""  # the sentence that gave the speaker and role, for the editor


@dataclass
class ProposedEvent:
    name: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    date_precision: str = "day"
    kind: str = "mentions"
    location: str = ""
    existing_id: int | None = None


@dataclass
class Proposal:
    title: str
    standfirst: str
    body: str
    published_on: datetime.date
    dateline: str = ""
    quotes: list[ProposedQuote] = field(default_factory=list)
    people: list[ProposedPerson] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    events: list[ProposedEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The language it is written in (one of the site's); the site's first where empty.
    language: str = ""

    @property
    def subheadings(self):
        return [line[3:] for line in self.body.splitlines() if line.startswith("## ")]
