"""Language of help text: decided before options are parsed (argv, PKP_LANG), Indonesian by default."""

from __future__ import annotations

import os
import sys


def help_lang() -> str:
    argv = sys.argv[1:]
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "id"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "id"
    return "en" if os.environ.get("PKP_LANG") == "en" else "id"


def t(id_text: str, en_text: str) -> str:
    return en_text if help_lang() == "en" else id_text
