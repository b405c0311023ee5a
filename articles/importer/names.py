"""
Recognising people and their roles in running text, by rule (no model, no network).

A phrase that says who spoke (“Pieter Jansen, Vice-President of the Commission,
responsible for Jobs”, “the agency's Regional Director, Lucía Ferrer”, “President
Moreau”, “she”) is read as a Mention: a name (or a surname alone), a role, or a pronoun.
"""

import re
from dataclasses import dataclass

# Words that make up roles and titles rather than names (tags.py leaves them out too).
ROLE_WORDS = {
    "acting", "admiral", "advisor", "adviser", "ambassador", "analyst", "assistant", "attorney",
    "cabinet", "captain", "ceo", "chair", "chairman", "chairwoman", "chancellor", "chief",
    "colonel", "commander", "commissioner", "councillor", "defence", "defense", "deputy",
    "director", "economist", "education", "energy", "environment", "envoy", "executive",
    "finance", "first", "foreign", "founder", "general", "governor", "head", "health", "high",
    "home", "inspector", "interior", "justice", "king", "leader", "lord", "mayor", "minister",
    "officer", "opposition", "police", "pope", "premier", "president", "prime", "professor",
    "queen", "representative", "secretary", "senator", "shadow", "speaker", "special",
    "spokesman", "spokesperson", "spokeswoman", "state", "superintendent", "trade",
    "transport", "treasury", "vice", "secretary-general", "under-secretary", "eu", "uk", "us",
    "un", "nato", "british", "european", "french", "german", "ukrainian", "russian",
    "american", "labour", "conservative", "party", "government", "union", "affairs",
    "security", "policy", "of", "for", "the", "and",
}  # fmt: skip
# More words of titles, for telling a role from the name after it.
TITLE_WORDS = ROLE_WORDS | {
    "chairperson", "director-general", "vice-president", "executive-vice-president",
    "under-secretary-general", "coordinator", "co-ordinator", "rapporteur", "negotiator",
    "commissioner-designate", "manager", "administrator", "registrar", "prosecutor", "judge",
    "mp", "mep", "member", "delegate", "official", "regional", "country", "emergency", "relief",
    "humanitarian", "resident", "permanent", "senior", "principal", "associate", "managing",
    "operating", "financial", "technical", "legal", "medical", "scientific", "dean", "rector",
    "editor", "correspondent", "researcher", "lead", "counsellor", "consul", "consul-general",
    "lieutenant", "major", "brigadier", "inspector-general", "auditor", "auditor-general",
    "ombudsman", "ombudsperson", "comptroller", "treasurer", "bishop", "archbishop",
    "cardinal", "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "baroness", "baron",
    "prince", "princess", "emir", "sheikh", "sultan", "taoiseach", "president-elect", "prof",
    "professor", "minister-president", "spokesperson", "chief-executive", "ceo", "cfo", "coo",
}  # fmt: skip
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "baroness", "prof"}
# Capitalised words that start sentences or name things, never people.
NOT_NAME_WORDS = {
    "a", "an", "as", "at", "but", "both", "by", "in", "it", "its", "now", "on", "our", "so",
    "that", "their", "these", "this", "those", "today", "we", "with", "yesterday", "tomorrow",
    "operation", "summit", "council", "meeting", "meetings", "conference", "process", "talks",
    "forum", "plan", "mission", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "street", "house", "city",
}  # fmt: skip
# Capitalised words that open sentences or name places, bodies and fields, never people:
# “Crisis Management” before “Anna Kowalczyk” is the end of her role, not her first names.
NEVER_NAME_WORDS = NOT_NAME_WORDS | {
    "meanwhile", "however", "separately", "later", "earlier", "also", "additionally", "then",
    "speaking", "commenting", "responding", "asked", "after", "before", "following", "during",
    "when", "while", "he", "she", "they", "i", "his", "her", "there", "here", "if", "and",
    "the", "commission", "committee", "agency", "office", "department", "ministry", "nations",
    "organisation", "organization", "fund", "bank", "group", "parliament", "assembly",
    "services", "service", "institute", "programme", "program", "authority", "board",
    "africa", "america", "asia", "europe", "caribbean", "pacific", "atlantic", "middle", "east",
    "west", "north", "south", "central", "eastern", "western", "northern", "southern", "aid",
    "management", "development", "refugees", "rights", "human", "crisis", "protection",
    "operations", "jobs", "growth", "competitiveness", "climate", "action", "food", "migration",
    "economy", "digital", "innovation", "research", "culture", "youth", "sport", "agriculture",
    "fisheries", "cohesion", "reforms", "enlargement", "neighbourhood", "partnerships",
    "budget", "administration", "values", "transparency", "democracy", "equality",
    "preparedness", "space", "internal", "international", "global", "national", "federal",
    "republic", "kingdom", "states", "region", "strategy", "report", "welcoming",
    "announcing", "launching", "opening", "closing", "addressing", "writing", "according",
    "under", "over", "from", "to", "for", "of", "about", "against", "not", "no", "every",
    "all", "some", "many", "each", "one", "two", "three", "what", "why", "how",
}  # fmt: skip
# Lower-case words that join a name (“Ursula von der Leyen”) or a role (“Minister for X”).
PARTICLES = {"von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das",
             "la", "le", "bin", "ibn", "al", "el", "ter", "ten", "zu"}  # fmt: skip
CONNECTORS = {"of", "for", "the", "and", "on", "to", "in", "at", "&"}
PRONOUNS = {"he", "she"}
LISTING = {"and", "or", "&"}
# Every capital letter of the Latin alphabets (Łukasz, Šefčovič, Ó Ríordáin).
UPPER = "".join(ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper())
NAME_TOKEN = rf"[{UPPER}][\w’'.-]*"
CONNECTOR = r"(?:of|for|the|and|von|van|de|der|den|del|da|di|du|dos|al|bin|la|le)"
CAPITALISED_RUN = re.compile(rf"{NAME_TOKEN}(?:\s+(?:{CONNECTOR}\s+)*{NAME_TOKEN})*")
# A role written in lower case before a name or alone: “Greenpeace campaigner Maria Lopez”,
# “the agency's spokesperson”.
ROLE_NOUNS = (
    "leader|delegate|campaigner|spokesperson|spokesman|spokeswoman|minister|secretary|chief|"
    "director|chair|chairman|chairwoman|chairperson|president|head|analyst|economist|"
    "professor|correspondent|mayor|councillor|governor|ambassador|envoy|commissioner|"
    "official|adviser|advisor|negotiator|researcher|lawyer|founder|officer|manager|executive|"
    "editor|coach|coordinator|representative|rapporteur|administrator|chancellor|"
    "secretary-general|director-general|vice-president|premier|prosecutor|expert|activist|"
    "scientist|doctor|nurse|teacher|farmer|resident|witness|survivor|worker|volunteer|"
    "organiser|organizer|owner|deputy|general|member|MEP|MP|senator|"
    # People spoken of as a group: “Critics said”, “Unions described it as”.
    "critic|union|diplomat|observer|investor|trader|lawmaker|legislator|opponent|supporter|"
    "authorities|police|protester|protestor|villager|parent|student|employer|insider|aide|"
    "ally|allies|donor|charity|charities|campaign group|source|voter|local|"
    "journalist|reporter|writer|author|historian|academic|lecturer|fellow|consultant|"
    "strategist|engineer|pilot|fisherman|midwife|surgeon|physician|epidemiologist|"
    "virologist|specialist|trustee|commander|soldier|veteran|candidate|mediator|monitor|"
    "inspector|investigator|attorney|judge|magistrate|partner|victim|refugee|chemist|"
    "physicist|biologist|climatologist|meteorologist|forecaster|priest|bishop|imam|rabbi|"
    "counterpart|colleague|successor|predecessor"
)
ROLE_NOUN = re.compile(rf"\b(?:{ROLE_NOUNS})s?\b", re.I)
LOWER_CASE_ROLE = re.compile(rf"((?:[{UPPER}][\w’'-]*\s+)*(?:[a-z][\w-]*\s+)?(?:{ROLE_NOUNS}))\s+$")
SPEECH_VERBS = (
    r"said|says|added|adds|told|tells|stated|states|warned|warns|argued|argues|insisted|"
    r"insists|explained|explains|noted|notes|stressed|stresses|underscored|underlined|"
    r"declared|announced|announces|wrote|writes|asked|asks|replied|continued|concluded|"
    r"commented|remarked|made|emphasised|emphasized|urged|urges|pointed out|put it|was clear|"
    r"is clear|acknowledged|acknowledges|admitted|admits|recalled|observed|cautioned|"
    r"cautions|reiterated|highlighted|welcomed|affirmed|confirmed|maintained|predicted|"
    r"promised|pledged|vowed|called|described|went on|believes|believed|thinks|posted|"
    r"tweeted|answered|conceded|concedes|complained|lamented|suggested|suggests|claimed|"
    r"claims|demanded|pleaded|appealed|responded|retorted|countered|asserted|reflected|"
    r"recounted|summed up|accepted|reported"
)  # fmt: skip
# Openings of a clause that sets the scene rather than names the speaker: “In Geneva,”,
# “at a press conference”, “speaking to reporters”. Such a clause may still give a role:
# “In his first statement as UN Emergency Relief Coordinator”.
SCENE_WORDS = {
    "in", "at", "on", "during", "speaking", "commenting", "responding", "reacting", "asked",
    "after", "before", "following", "ahead", "addressing", "writing", "launching", "opening",
    "closing", "presenting", "announcing", "welcoming", "meanwhile", "however", "separately",
    "later", "earlier", "today", "yesterday", "adding", "noting", "referring", "told", "when",
    "while", "as", "who", "which", "whose", "where", "with", "from", "to", "according", "also",
    "then", "and", "but", "visiting", "briefing", "chairing", "hosting", "attending",
    "last", "this", "next", "since", "by", "via", "over",
}  # fmt: skip
ARTICLE = re.compile(r"^(?:the|a|an|his|her|its|their|our)\s+", re.I)


@dataclass(frozen=True)
class Mention:
    """Who a phrase names: a full name, a surname alone, a role alone, or a pronoun."""

    name: str = ""
    role: str = ""
    surname_only: bool = False
    pronoun: str = ""
    body: bool = False  # the name is an organisation's: “the ministry said”


def is_name_word(word):
    """A capitalised word that may belong to a person's name (not a role, place or acronym)."""
    bare = word.strip(",.;:")
    if not bare or bare[0] not in UPPER or bare.endswith(("’s", "'s")):
        return False
    if len(bare) > 1 and bare.replace("-", "").isupper() and not re.fullmatch(r"[A-Z]\.", word):
        return False  # UN, NATO, UNHCR: an organisation, not a name
    lowered = bare.lower()
    return (
        lowered not in TITLE_WORDS
        and lowered not in NEVER_NAME_WORDS
        and not ROLE_NOUN.fullmatch(bare)  # “Officials said”, “Analysts say”
    )


NAME_OF = re.compile(r"^(?P<who>.+?)\s+of\s+(?P<body>.+)$")
# Ranks are forms of address, written before a name like Mr or Dr.
RANKS = {
    "admiral", "vice admiral", "rear admiral", "general", "lieutenant general",
    "major general", "brigadier", "brigadier general", "colonel", "lieutenant colonel",
    "major", "captain", "commander", "lieutenant", "sergeant", "air marshal", "commodore",
}  # fmt: skip
# Letters after a name: “Stephen Doughty MP”.
POST_NOMINALS = re.compile(r"(?:\s+(?:MP|MEP|MSP|MS|QC|KC|OBE|CBE|MBE|DBE|KBE|PhD|FRS|Jr\.?))+\s*$")
# A peer is called by title and name: “Lord Collins of Highbury” is Lord Collins.
PEERAGE = {"lord", "baroness", "lady"}
PEER = re.compile(
    rf"\b(?P<peer>(?:Lord|Baroness|Lady)\s+[{UPPER}][\w’'-]*)\s+of\s+[{UPPER}][\w’'-]*"
)
# A name is read in the last characters of a run, and a role with it in its last words:
# a run of capitals longer than that is not one person's title.
NAME_REACH = 80
MAX_ROLE_AND_NAME_WORDS = 24


def is_initial(word):
    return bool(re.fullmatch(rf"[{UPPER}]\.", word))


def split_role_and_name(phrase):
    """
    “Foreign Secretary David Lammy” → ("Foreign Secretary", "David Lammy", False);
    “President Moreau” → ("President", "Moreau", True); “the Secretary General” →
    ("Secretary General", "", False).

    The name is the phrase's last words that may be a name. Past two of them after a
    word that joins a role (“Commissioner for Crisis Management Anna Kowalczyk”), or past
    three, the first are the end of the role.
    """
    phrase = PEER.sub(r"\g<peer>", POST_NOMINALS.sub("", phrase))
    words = phrase.split()[-MAX_ROLE_AND_NAME_WORDS:]
    name_words = []
    for word in reversed(words):
        if is_name_word(word) or is_initial(word) or (word in PARTICLES and name_words):
            name_words.insert(0, word)
        else:
            break
    particles = []  # “von der” before “Leyen”: the surname's, when no first name comes first
    while name_words and name_words[0] in PARTICLES:
        particles.append(name_words.pop(0))
    counted = [w for w in name_words if w not in PARTICLES and not is_initial(w)]
    if len(counted) == 1:
        name_words = particles + name_words
    before = words[len(words) - len(name_words) - 1].lower() if len(words) > len(name_words) else ""
    if (before == "of" and len(counted) <= 2) or (before in LISTING and len(counted) == 1):
        name_words, counted = [], []  # “the representative of Sierra Leone”, “and Poland”
    limit = 2 if before in CONNECTORS or before.strip(",") in NEVER_NAME_WORDS else 3
    while len(counted) > limit:
        dropped = name_words.pop(0)
        if dropped in counted:
            counted.remove(dropped)
        while name_words and name_words[0] in PARTICLES:
            name_words.pop(0)
    role_words = words[: len(words) - len(name_words)]
    while role_words and role_words[0].lower() in {"the", "a", "an"}:
        role_words = role_words[1:]
    title = role_words[-1].lower().strip(".") if role_words else ""
    if title in HONORIFICS:
        role_words = role_words[:-1]
    if len(counted) == 1 and title in PEERAGE:
        return " ".join(role_words), f"{title.title()} {' '.join(name_words)}", False
    if len(counted) == 1 and not role_words and title not in HONORIFICS:
        return "", " ".join(name_words), True  # a surname alone, or a word that is not a name
    role = " ".join(role_words).strip(" ,")
    if not counted:
        return role, "", False
    if not is_initial(name_words[-1]):
        name_words[-1] = name_words[-1].rstrip(".")  # the end of a sentence, not an initial
    return role, " ".join(name_words), len(counted) == 1


def is_scene(segment):
    """Whether a comma-separated part of a phrase sets the scene instead of naming anyone."""
    first = segment.split()[0] if segment.split() else ""
    if len(first) > 1 and first.isupper():
        return False  # WHO, UN: an organisation, not “who” or “un-”
    return first.lower() in SCENE_WORDS or bool(re.match(r"\d", first))


def is_role_like(segment):
    return bool(ROLE_NOUN.search(segment)) or any(
        word.lower().strip(",.") in TITLE_WORDS - CONNECTORS - HONORIFICS and word[:1].isupper()
        for word in segment.split()
    )


# “the agency's Regional Director”: the possessive points back into the story.
REFERRING_POSSESSIVE = re.compile(r"^[a-z][\w-]*[’']s\s+")


def clean_role(role):
    role = ARTICLE.sub("", role.strip(" ,;:.—–-"))
    role = REFERRING_POSSESSIVE.sub("", role)
    return " ".join(role.split())


RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose)\b[^,]*(?:,|$)")
# An organisation speaking: “the ministry said”, “the Foreign Office said”, “the Kremlin
# said”. It is the speaker itself, never someone named with a role in it (“Vice-President
# of the Commission”).
BODY_SPEAKING = re.compile(
    r"(?:the\s+)?(?:[\w’'-]+\s+){0,4}(?:ministry|department|government|agency|commission|"
    r"office|embassy|secretariat|presidency|council|committee|organisation|organization|"
    r"company|bank|authority|regulator|police|army|kremlin|house|alliance|union)",
    re.I,
)
SCENE_CUT = re.compile(
    r"\s+(?=(?:as|at|in|on|during|after|before|when|while|following|ahead|adding|noting|"
    r"speaking|told|to|from|with|via|upon|outside|inside|today|yesterday|last|this|earlier|"
    r"later|who|which|where|said|through|before)\b)"
)
# “at the launch”, “as she left”, “on Monday”; not “at the University of Leeds”.
DETERMINERS = r"(?:a|an|the|his|her|their|its|this|that|these|those)"
PLAINLY_SCENE = re.compile(
    rf"^\s+\w+\s+(?:{DETERMINERS}\s+[a-z]|(?!{DETERMINERS}\b)[a-z][\w-]*|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
# A role given by “as”: “who took up his post as UN Emergency Relief Coordinator in March”.
AS_ROLE = re.compile(
    rf"\bas\s+(?:the\s+|an?\s+|its\s+|their\s+)?(?P<role>[{UPPER}][\w’'-]*"
    rf"(?:\s+(?:(?:of|for|and|the|on|to)\s+)*[{UPPER}][\w’'-]*)*)"
)
# Where the role before a name starts, after the scene: “On Monday the agency's Director”.
ROLE_START = re.compile(rf"\b(?:the|a|an|its|their)\s+|(?<![\w’'-])(?=[{UPPER}])")


def without_scene(segment):
    """
    A part of a phrase without the scene that follows the speaker in it: “Fisheries
    Minister Anna Berg as she left the meeting”, “the Secretary General at a press
    conference”; but “Special Envoy on Migration Jane Holt” and “Professor of Adult
    Education at the University of Leeds” are kept whole.
    """
    for match in SCENE_CUT.finditer(segment):
        head = segment[: match.start()]
        if head.lower() in SCENE_WORDS:
            continue
        _, name, surname_only = split_role_and_name(head)
        if PLAINLY_SCENE.match(segment[match.start() :]) or (name and not surname_only):
            return head
    return segment


def role_in(segment):
    """The role in a part that may open with the scene: “On Monday the agency's Director”."""
    if not is_scene(segment):
        return segment if is_role_like(segment) else ""
    # The last role opening on “the” (“In the debate the representative of Sierra Leone”),
    # else the first one.
    found = [
        rest
        for match in ROLE_START.finditer(segment, 1)
        if not is_scene(rest := segment[match.start() :]) and is_role_like(rest)
    ]
    determined = [rest for rest in found if ARTICLE.match(rest)]
    return (determined or found or [""])[-1 if determined else 0]


def read_mention(phrase):
    """
    The Mention in a phrase that says who spoke, or None when it names nobody.

    The phrase is read in its comma-separated parts: the one holding the name, then the
    role before it in the same part, or the parts just after it (a role may itself hold
    commas: “responsible for Jobs, Growth and Competitiveness”), or the part just before.
    """
    phrase = " ".join(phrase.split()).strip(" ,;:.—–-")
    if not phrase:
        return None
    # A relative clause says something about the speaker, never who it is; at most a role.
    relative = RELATIVE_CLAUSE.search(phrase)
    phrase = RELATIVE_CLAUSE.sub(",", phrase).strip(" ,")
    segments = [without_scene(s.strip()) for s in phrase.split(",") if s.strip()]
    segments = [s for s in segments if s]
    if segments and segments[-1].lower() in PRONOUNS:  # “Asked about it, she said”
        return Mention(pronoun=segments[-1].lower())
    found = [(i, *name_in_part(s)) for i, s in enumerate(segments) if not is_scene(s)]
    named = [f for f in found if f[2]]
    # A whole part that is a name beats a name at the end of a longer part.
    named.sort(key=lambda f: (f[3], bool(f[1])))
    if named:
        index, role, name, surname_only = named[0]
        if not role:
            role = role_beside(segments, index)
        if not role and relative:
            role = role_in_relative_clause(relative.group(0))
        return Mention(name=name, role=clean_role(role), surname_only=surname_only)
    for segment in segments:
        if (
            not is_scene(segment)
            and BODY_SPEAKING.fullmatch(segment)
            and not ROLE_NOUN.search(segment)
        ):
            return Mention(name=clean_role(segment), body=True)
    # A role alone: the parts that are one, else one read after the scene in a part (“On
    # Monday the agency's Director”); “said the President, as she left a meeting of heads
    # of delegation” is the President.
    roles = []
    for segment in segments:
        if is_scene(segment):
            if roles:
                break
        elif roles or is_role_like(segment):
            roles.append(segment)  # “the foreign ministers of France, Germany and Poland”
    if not roles:
        roles = [role for segment in segments if (role := role_in(segment))][:1]
    if roles:
        return Mention(role=clean_role(", ".join(roles)))
    return None


def name_in_part(part):
    """
    (role, name, surname_only) in one part of a phrase. A name followed by “of” names the
    person, and what follows their role's body: “Captain Ana Ruiz of the coastguard
    vessel Orion” is Ana Ruiz, captain of the coastguard vessel Orion. A rank alone
    (Admiral, Colonel) is a form of address, not a role.
    """
    role, name, surname_only = split_role_and_name(part)
    if (of := NAME_OF.match(part)) and not (role and name and not surname_only):
        before_role, before_name, before_surname = split_role_and_name(of.group("who"))
        if before_name and not before_surname:
            body = of.group("body")
            return (f"{before_role} of {body}" if before_role else ""), before_name, False
    if role.lower() in RANKS:
        role = ""
    return role, name, surname_only


def is_pure_name(segment):
    role, name, _ = split_role_and_name(segment)
    return bool(name) and not role


def role_beside(segments, index):
    """The role written in the parts after the name, else in the part before it."""
    after = []
    for segment in segments[index + 1 :]:
        described = ARTICLE.match(segment)  # “Nyakuoth, a mother of four in Bentiu”
        if is_scene(segment) or (not after and not (described or is_role_like(segment))):
            break
        after.append(segment)
    if after:
        return ", ".join(after)
    start = index
    while start and not is_scene(segments[start - 1]) and not is_pure_name(segments[start - 1]):
        start -= 1  # “Executive Vice-President for a Clean, Just and Competitive Transition”
    if start < index and any(is_role_like(s) for s in segments[start:index]):
        return ", ".join(segments[start:index])
    if index and (role := role_in(segments[index - 1])):
        return role
    for segment in segments[:index]:
        if match := AS_ROLE.search(segment):
            return match.group("role")
    return ""


# The role set between commas after a name: “Jane Holt, the Migration Minister, said”,
# “led by Helen Okoro, Professor of Adult Education at the University of Leeds.”
APPOSITIVE = re.compile(r"^,\s+(?P<role>[^,;:“”\"]{3,250}?)(?:,|\s+said\b|\.?$|\.\s)")
# The role set before a name and a comma: “Norway's Minister of Fisheries, Marit Haugen,”.
ROLE_BEFORE_COMMA = re.compile(r"(?P<role>[^,;:.“”\"]{3,120}),\s*$")
SENTENCE_START = re.compile(r"[;:.“”\"]")


def appositive_role(after):
    """The role after a name, between commas or to the sentence's end."""
    match = APPOSITIVE.match(after[:160])
    if not match:
        return ""
    role = match.group("role")
    if role.lower().startswith("who "):
        return role_in_relative_clause(role)
    role = RESTRICTIVE_CLAUSE.sub("", role)  # “a researcher who has examined dozens of phones”
    return role if is_role_like(role) and not is_scene(role) else ""


RESTRICTIVE_CLAUSE = re.compile(r"\s+(?:who|which|whose|whom)\s.*$")
# A role in a relative clause: “who is also the Czech Minister for Industry”, “who took up
# his post as UN Emergency Relief Coordinator in March”.
RELATIVE_ROLE = re.compile(
    r"\bwho\s+(?:is|was|serves\s+as|served\s+as|has\s+been|became|also\s+serves\s+as)\s+"
    r"(?:also\s+)?(?:the\s+|a\s+|an\s+)?(?P<role>[^,;:.“”\"]+)"
)


def role_in_relative_clause(clause):
    if (match := RELATIVE_ROLE.search(clause)) and is_role_like(match.group("role")):
        return without_scene(match.group("role"))
    found = AS_ROLE.search(clause)
    return found.group("role") if found else ""


def named_runs(sentence):
    """
    (start, end) of each capitalised run that may name someone, a run holding two people
    (“Foreign Secretary David Lammy and Defence Secretary John Healey”) cut in two, but
    not a role with “and” in it (“Minister for Trade and Industry Jane Holt”).
    """
    for match in CAPITALISED_RUN.finditer(sentence):
        start = match.start()
        for joint in re.finditer(r"\s+and\s+", match.group(0)):
            piece = sentence[
                max(start, match.start() + joint.start() - NAME_REACH) : match.start()
                + joint.start()
            ]
            _, name, surname_only = split_role_and_name(piece)
            if name and not surname_only:
                yield start, match.start() + joint.start()
                start = match.start() + joint.end()
        yield start, match.end()


def people_in(sentence):
    """Every (role, name, start, end) named in ``sentence``, in order: full names only."""
    found = []
    for start, end in named_runs(sentence):
        role, name, surname_only = split_role_and_name(sentence[start:end])
        if not name or surname_only:
            continue
        before = sentence[max(0, start - 160) : start]
        if not role and (lower := LOWER_CASE_ROLE.search(before[-60:])):
            role = lower.group(1).strip()
        if not role and ROLE_BEFORE_COMMA.search(before):
            # “The Commission's Vice-President for Democracy, Justice and the Rule of Law,
            # Věra Holub”: the role may hold commas of its own.
            parts = [part.strip() for part in SENTENCE_START.split(before)[-1].split(",")]
            role = role_beside([*parts[:-1], name], len(parts) - 1)
        if not role:
            role = appositive_role(sentence[end:])
        found.append((clean_role(role), name, start, end))
    return found
