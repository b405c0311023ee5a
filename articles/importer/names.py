"""Recognising people and their roles in running text, by rule (no model, no network)."""

import re

# Words that make up roles and titles rather than names.
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
HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "dame"}
# Capitalised words that start sentences or name things, never people.
NOT_NAME_WORDS = {
    "a", "an", "as", "at", "but", "both", "by", "in", "it", "its", "now", "on", "our", "so",
    "that", "their", "these", "this", "those", "today", "we", "with", "yesterday", "tomorrow",
    "operation", "summit", "council", "meeting", "meetings", "conference", "process", "talks",
    "forum", "plan", "mission", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "street", "house", "city",
}  # fmt: skip
NAME_TOKEN = r"[A-ZÀ-ÖØ-Ý][\w’'.-]*"
CONNECTOR = r"(?:of|for|the|and|von|van|de|der|den|da|di|du|al|bin|la|le)"
CAPITALISED_RUN = re.compile(rf"{NAME_TOKEN}(?:\s+(?:{CONNECTOR}\s+)*{NAME_TOKEN})*")
# A role written in lower case just before a name: “Greenpeace campaigner Maria Lopez”.
ROLE_NOUNS = (
    "leader|delegate|campaigner|spokesperson|spokesman|spokeswoman|minister|secretary|chief|"
    "director|chair|chairman|chairwoman|president|head|analyst|economist|professor|"
    "correspondent|mayor|councillor|governor|ambassador|envoy|commissioner|official|adviser|"
    "advisor|negotiator|researcher|lawyer|founder|officer|manager|executive|editor|coach"
)
LOWER_CASE_ROLE = re.compile(rf"((?:[A-ZÀ-Ý][\w’'-]*\s+)*(?:[a-z][\w-]*\s+)?(?:{ROLE_NOUNS}))\s+$")
SPEECH_VERBS = (
    r"said|says|added|adds|told|tells|stated|warned|warns|argued|argues|insisted|insists|"
    r"explained|explains|noted|notes|stressed|stresses|underscored|underlined|declared|"
    r"announced|wrote|writes|asked|replied|continued|concluded|commented|remarked|made|"
    r"emphasised|emphasized|urged|urges|pointed out|put it|was clear|is clear"
)  # fmt: skip


def split_role_and_name(run):
    """
    “Foreign Secretary David Lammy” → ("Foreign Secretary", "David Lammy").

    The name is the run's last words that are not role words; a name needs two words
    (or one after an honorific); otherwise there is no name in the run.
    """
    words = run.replace("’s", "").split()
    while words and words[0].lower() == "the":
        words = words[1:]
    name_words = []
    for word in reversed(words):
        if word.lower().strip(".,") in ROLE_WORDS and name_words:
            break
        if word.lower().strip(".,") in ROLE_WORDS:
            return "", ""
        name_words.insert(0, word)
    if any(w.lower() in NOT_NAME_WORDS or (w.isupper() and len(w) > 1) for w in name_words):
        return "", ""
    role_words = words[: len(words) - len(name_words)]
    if role_words and role_words[-1].lower().strip(".") in HONORIFICS:
        role_words = role_words[:-1]
    elif len(name_words) < 2 or len(name_words) > 4:
        return "", ""
    role = " ".join(role_words).strip(" ,")
    # A role written with a lower-case tail ("the EU's High Representative for ...").
    return role, " ".join(name_words)


def people_in(sentence):
    """Every (role, name) pair found in ``sentence``, in order."""
    found = []
    for match in CAPITALISED_RUN.finditer(sentence):
        role, name = split_role_and_name(match.group(0))
        before = sentence[max(0, match.start() - 60) : match.start()]
        if name and not role and (lower := LOWER_CASE_ROLE.search(before)):
            role = lower.group(1).strip()
        if name:
            found.append((role, name, match.start(), match.end()))
    return found
