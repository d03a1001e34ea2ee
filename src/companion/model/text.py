"""Text as search sees it: lower case, without diacritics, special Latin letters spelled in plain ones.

`fold` is the one folding function: the full-text index folds what it stores and what is typed
with it, and the client list's filter folds names with it, so "bjorn" finds "Bjørn" everywhere.
"""

from __future__ import annotations

import unicodedata

# Latin letters that Unicode does not decompose into a plain letter and a mark, so that stripping
# diacritics leaves them as they are (and FTS5's `remove_diacritics` too): each is spelled the way
# people type it on a keyboard without it. Keys are lower case (folding lower-cases first); their
# capitals are added below. Å, é, ñ, ş and the like decompose, and need no entry.
_SPELLED = {
    "ß": "ss",  # German (casefold spells it already; ẞ too)
    "æ": "ae",  # Danish, Norwegian, Icelandic, Faroese
    "ø": "o",  # Danish, Norwegian, Faroese
    "œ": "oe",  # French
    "þ": "th",  # Icelandic
    "ð": "d",  # Icelandic, Faroese
    "đ": "d",  # Croatian, Serbian, Vietnamese, Sami
    "ł": "l",  # Polish, Sorbian
    "ı": "i",  # Turkish, Azerbaijani (dotless i; dotted İ decomposes to i and a dot)
    "ħ": "h",  # Maltese
    "ŋ": "n",  # Sami, and West African languages
    "ŧ": "t",  # Northern Sami
    "ĸ": "k",  # Greenlandic (old spelling)
    "ǥ": "g",  # Skolt Sami
    "ʒ": "z",  # Skolt Sami
    "ə": "e",  # Azerbaijani, Tatar
    "ǝ": "e",  # Pan-Nigerian
    "ɛ": "e",  # Akan, Ewe, Lingala, Bambara…
    "ɔ": "o",  # Akan, Ewe, Lingala, Bambara…
    "ɖ": "d",  # Ewe, Fon
    "ɗ": "d",  # Hausa, Fula
    "ɓ": "b",  # Hausa, Fula
    "ƙ": "k",  # Hausa
    "ƴ": "y",  # Hausa, Fula
    "ƒ": "f",  # Ewe
    "ɣ": "g",  # Ewe, Dinka, Berber
    "ʋ": "v",  # Ewe
    "ɲ": "n",  # Bambara, Fula
    "ɨ": "i",  # languages of the Americas and Africa
    "ʉ": "u",  # languages of the Americas and Africa
    "ƶ": "z",  # Polish (a variant of ż)
    "ƀ": "b",
    "ȼ": "c",
    "ɇ": "e",
    "ɉ": "j",
    "ɍ": "r",
    "ɏ": "y",
    "ⱥ": "a",
    "ⱦ": "t",
}
_TABLE = str.maketrans(
    {
        **{letter: plain for letter, plain in _SPELLED.items()},
        **{letter.upper(): plain for letter, plain in _SPELLED.items() if len(letter.upper()) == 1},
    }
)


def fold(text: str) -> str:
    """Lower case, without diacritics, with the letters above spelled plainly ("Ødegård" → "odegard").

    The same in the index and in what is typed: FTS5's unicode61 tokenizer then only splits words.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    combining = unicodedata.combining
    bare = "".join([c for c in decomposed if not combining(c)])
    return bare if bare.isascii() else bare.translate(_TABLE)
