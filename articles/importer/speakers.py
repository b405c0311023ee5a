"""
The people a story has named so far, for what names them only in part: a surname (“Holt
said”), a title and surname (“President Moreau”), a role (“said the Secretary General”)
or a pronoun (“she added”).
"""

import re
from bisect import bisect_right

from articles.importer.names import UPPER, people_in

HONORIFIC_GENDER = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she", "sir": "he",
                    "dame": "she", "lord": "he", "lady": "she", "baroness": "she"}  # fmt: skip
WORD_OF_NAME = rf"[{UPPER}][\w’'-]*"
# A title before a name says which pronoun is the person's: “Mr. Lars Birk”, “Ms Ferrer”.
TITLED = re.compile(
    rf"\b(?P<title>Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|Baroness)\.?\s+"
    rf"(?:{WORD_OF_NAME}\s+){{0,2}}(?P<surname>{WORD_OF_NAME})"
)
CAPITALISED_WORD = re.compile(WORD_OF_NAME)


def role_words(role):
    return set(re.sub(r"[-‑–]", " ", role.lower().replace("’s", "").replace("'s", "")).split())


class Speakers:
    """
    The people named so far in a story. A pronoun is the person the story spoke of last,
    skipping anyone already called by the other pronoun or title.
    """

    def __init__(self):
        self.roles = {}  # name -> role
        self.named_in = {}  # name -> the sentence that gave the name and role
        self.by_surname = {}
        self.by_first_name = {}  # for names written surname first: “Liu Wen” … “Liu said”
        self.gender = {}  # name -> "he" or "she", once the story has said
        self.recent = []  # names, the one the story spoke of last at the end
        self.paragraph = 0  # the paragraph being read, set by the reader
        self.paragraph_of = {}  # name -> the paragraph that last spoke of them

    def learn(self, sentence):
        """Take in the people named in a sentence of the story's own words."""
        found, starts, ends = [], [], []  # people_in gives the names in order
        for role, name, start, end in people_in(sentence):
            self.add(name, role, sentence)
            found.append((start, name))
            starts.append(start)
            ends.append(end)
        for match in CAPITALISED_WORD.finditer(sentence):  # “Dahl repeated that…”
            inside = bisect_right(starts, match.start()) - 1
            if (name := self.by_surname.get(match.group(0))) and not (
                inside >= 0 and match.start() < ends[inside]
            ):
                found.append((match.start(), name))
        for match in TITLED.finditer(sentence):
            if name := self.by_surname.get(match.group("surname")):
                self.gender.setdefault(name, HONORIFIC_GENDER[match.group("title").lower()])
        for _, name in sorted(found, reverse=True):  # the sentence's subject last
            self.mention(name)

    def mention(self, name):
        if name in self.recent:
            self.recent.remove(name)
        self.recent.append(name)
        self.paragraph_of[name] = self.paragraph

    def add(self, name, role, sentence):
        if name not in self.roles or (role and not self.roles[name]):
            self.roles[name] = role
            self.named_in[name] = " ".join(sentence.split())
        words = name.split()
        self.by_surname.setdefault(words[-1], name)
        self.by_first_name.setdefault(words[0], name)

    def resolve(self, mention, evidence, new=True):
        """
        (name, role, evidence) for ``mention`` read in the sentence ``evidence``, or None.
        Without ``new``, a surname nobody was named with is not taken for a new person.
        """
        if mention.body:
            return mention.name, "", evidence  # an organisation: not a person to speak of
        if mention.pronoun:
            name = self.latest(mention.pronoun)
        elif mention.surname_only:
            word = mention.name.split()[-1]
            name = self.by_surname.get(word) or self.by_first_name.get(word)
            if name is None and new:
                self.add(mention.name, mention.role, evidence)
                name = mention.name
        elif mention.name:
            self.add(mention.name, mention.role, evidence)
            name = mention.name
        else:
            name = self.holding(mention.role)
            if name is None and new:
                # Nobody named holds it: the role is the speaker (“a NATO official”), and
                # “the official” later is the same one.
                name = mention.role
                self.add(name, name, evidence)
        if not name:
            return None
        self.mention(name)
        if mention.pronoun:
            self.gender.setdefault(name, mention.pronoun)
        known = self.roles.get(name, "")
        role = mention.role
        if not role or (known and role_words(role) <= role_words(known)):
            role = known  # “Commissioner Kowalczyk”: her full title, given earlier
        named_in = self.named_in.get(name, evidence)
        read_here = mention.name == name and role == mention.role
        if not read_here and named_in not in evidence:
            evidence = f"{named_in} … {evidence}"  # the sentence that named them first
        return name, role, evidence

    def nearby(self):
        """The person the story spoke of last, if in this paragraph or the one before."""
        if self.recent and self.paragraph - self.paragraph_of[self.recent[-1]] <= 1:
            return self.recent[-1]
        return None

    def latest(self, pronoun):
        """The person the story spoke of last who may be ``pronoun``."""
        for name in reversed(self.recent):
            if self.gender.get(name, pronoun) == pronoun:
                return name
        return None

    def holding(self, role):
        """The person last spoken of with a role that ``role`` names: “the minister”."""
        wanted = role_words(role) - {"the", "a", "an"}
        if not wanted:
            return None
        for name in reversed(self.recent):
            known = self.roles.get(name, "")
            if known and wanted <= role_words(known):
                return name
        return None
