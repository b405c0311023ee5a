"""Plain-text hygiene for what editors paste in from word processors."""

import re

# C0 and C1 control characters other than tab, newline and carriage return: XML 1.0
# forbids most of them, and none belongs in a headline.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(text):
    """``text`` with control characters (a pasted vertical tab, say) turned into spaces."""
    return CONTROL_CHARACTERS.sub(" ", text or "")
