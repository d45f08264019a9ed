"""Normalizing what people write, so that labels and values match however they were typed."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Kazakh letters are often typed with their Russian look-alikes on a Russian keyboard; fold them so that
# "Туған күні" and "Туган куни" read the same.
FOLD: Final = str.maketrans(
    {"ё": "е", "ә": "а", "ə": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
)
WORD: Final = re.compile(r"[^\W_]+")


def split_words(text: object) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKC", str(text)).casefold().translate(FOLD)
    return tuple(WORD.findall(folded))


def fold_key(text: object) -> str:
    return "".join(split_words(text))
