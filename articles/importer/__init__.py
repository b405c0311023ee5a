"""
From wire copy to a structured article: a deterministic, offline first pass.

``read_text`` checks and decodes a file; ``analyse`` turns text into a Proposal
(headline, standfirst, Markdown body, dateline, quotes with speakers and roles,
tags and events); ``save_proposal`` stores what the editor accepted, all or nothing.
Quotations are found in quotes.py, who said them in names.py and speakers.py; events in
events.py, from the gatherings named in gatherings.py and the dates read by dates.py.
"""

from articles.importer.analyse import analyse
from articles.importer.proposal import (
    ImportProblem,
    Proposal,
    ProposedEvent,
    ProposedPerson,
    ProposedQuote,
)
from articles.importer.save import save_proposal
from articles.importer.source import MAX_BYTES, read_text

__all__ = [
    "MAX_BYTES",
    "ImportProblem",
    "Proposal",
    "ProposedEvent",
    "ProposedPerson",
    "ProposedQuote",
    "analyse",
    "read_text",
    "save_proposal",
]
