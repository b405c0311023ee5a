"""Plain-text hygiene for what editors paste in from word processors."""

import re

# C0 and C1 control characters other than tab, newline and carriage return: XML 1.0
# forbids most of them, and none belongs in a headline.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(text):
    """``text`` with control characters (a pasted vertical tab, say) turned into spaces."""
    return CONTROL_CHARACTERS.sub(" ", text or "")


# Reading speed for news prose: a reading time counts the standfirst and the body.
WORDS_PER_MINUTE = 230
# A word holds a letter or a digit: Markdown's “##”, “-” and “>” are not read.
WORD = re.compile(r"\S*[^\W_]\S*")


def word_count(*texts):
    """How many words ``texts`` hold together, counted as the article form counts them."""
    return sum(len(WORD.findall(text or "")) for text in texts)


def reading_minutes(words):
    """Whole minutes to read ``words`` words, at least one."""
    return max(1, round(words / WORDS_PER_MINUTE))
