"""The search rule, shared by the dashboard's search, the table's search, the CLI export and
(mirrored line for line in report.js) the exported report.

A search word matches the start of a word of the event's text: "un" finds "UN" and "United",
never "Minister" or "Kursk". Both sides are folded the same way (``fold``): NFKD, combining
marks dropped, case folded, and every character that is not a letter or a digit made a space,
so "Shoígu", "SHOIGU" and "shoigu" are one word. With the text folded to " word word ...",
a word-prefix match is a plain substring test for " " + word: one vectorised scan per word.

A search is bounded so one request costs at most a small multiple of a normal search: the
first MAX_SEARCH_CHARS characters, of which the first MAX_SEARCH_WORDS distinct words count.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# A real search is a few words (the longest in the bundled data's titles is 17 words, ~130
# characters, and nobody types a whole title): 8 words and 200 characters leave room for a
# pasted phrase, and make the worst search 8 scans of the events, whatever is sent.
MAX_SEARCH_CHARS = 200
MAX_SEARCH_WORDS = 8
LIMIT_NOTE = f"Search uses the first {MAX_SEARCH_WORDS} words ({MAX_SEARCH_CHARS} characters)."

# ASCII characters that are not letters or digits (and the underscore, which \w counts as one)
_ASCII_SPACES = bytes(c if c >= 128 or chr(c).isalnum() else 32 for c in range(256))
_NON_ASCII_NON_WORD = re.compile(r"[^\w\x00-\x7f]")
# Only non-ASCII characters need Unicode work, and NFKD, dropping marks and case folding each
# change a run of them without looking past it: folding runs keeps the work proportional to the
# non-ASCII text. (One regex class of every mark is not: past the BMP, sre tests its ~2,900
# members one by one, which cost minutes on 100k events whose aliases held one accented name.)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


@cache
def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "M"  # combining marks: Mn, Mc, Me


def _fold_run(match: re.Match) -> str:
    decomposed = unicodedata.normalize("NFKD", match.group())
    kept = "".join(c for c in decomposed if not _is_mark(c)).casefold()
    return _NON_ASCII_NON_WORD.sub(" ", kept)


def fold(text: str, keep: str = "") -> str:
    """``text`` as search compares it: NFKD, marks dropped, case folded, every character that is
    neither a letter nor a digit a space (``keep``, one ASCII character, stays: it separates the
    texts of many events folded at once). report.js's fold() is the same rule."""
    if not text.isascii():
        text = _NON_ASCII_RUN.sub(_fold_run, text)
    # (folding is idempotent, so the folded runs are unchanged by a second pass)
    text = text.casefold()
    table = _ASCII_SPACES if not keep else _ASCII_SPACES[:ord(keep)] + keep.encode() + _ASCII_SPACES[ord(keep) + 1:]
    # bytes.translate: one C pass, where str.translate of a non-ASCII str costs ~30x more
    return text.encode("utf-8", "surrogatepass").translate(table).decode("utf-8", "surrogatepass")


def haystacks(texts: list[str], chunk: int = 2000) -> list[str]:
    """The searchable form of each text: " " + its folded text, so " " + word finds a word's start."""
    if len(texts) > chunk:
        # a chunk at a time: the joined copies of 100k texts (a wide str once one character is
        # non-ASCII) would otherwise briefly take more memory than the events themselves
        return [h for start in range(0, len(texts), chunk) for h in haystacks(texts[start:start + chunk], chunk)]
    sep = "\x1e"  # folded all at once (one C pass per step instead of one per event), then split
    joined = sep.join(texts)
    if joined.count(sep) != max(len(texts) - 1, 0):  # a text holds the separator: one by one
        return [" " + fold(text) for text in texts]
    return [" " + part for part in fold(joined, keep=sep).split(sep)] if texts else []


def search_words(text: str) -> list[str]:
    """The words a search looks for: distinct, in order, at most MAX_SEARCH_WORDS of the first
    MAX_SEARCH_CHARS characters; a word that starts another one is dropped (it adds nothing)."""
    words = list(dict.fromkeys(fold(text[:MAX_SEARCH_CHARS]).split()))[:MAX_SEARCH_WORDS]
    return [w for w in words if not any(o != w and o.startswith(w) for o in words)]


def search_is_cut(text: str) -> bool:
    """True when the search reaches the limits (say so on screen): more distinct words than count,
    or as many characters as count (a longer search was cut there, by the input box or the URL reader)."""
    return len(text) >= MAX_SEARCH_CHARS or len(dict.fromkeys(fold(text).split())) > MAX_SEARCH_WORDS
