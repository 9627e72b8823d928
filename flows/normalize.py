"""Turn a resident's free text into plain lowercase tokens the classifier can match.

Theory of operation: strip what carries no meaning for routing (case, accents, emoji,
zero-width characters, punctuation), undo stretched letters ("parahhh" -> "parah" but
"maaaf" -> "maaf"), expand reduplication written with a 2 ("lampu2" -> "lampu lampu"),
then rewrite slang, Jawa Serang and Sunda words with our own lexicon
(`data/lexicon.toml`). Domain abbreviations are protected: "kk" stays the Kartu
Keluarga and "kel" means kelurahan.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CLAUSE_SPLIT = re.compile(r"([.,;:!?()\n]+)")
_RUN_OF_THREE = re.compile(r"([a-z])\1{2,}")
_REDUPLICATED = re.compile(r"^([a-z]{3,})2$")
_DIALECT_CLITICS = ("na", "ne", "e")  # "-nya" in Sunda and Jawa Serang
_MAX_REWRITES = 50_000  # raw tokens remembered per memo
_MIN_TRAILING_SQUEEZE = 4  # "kk", "pp" and other short tokens keep their double letter


@dataclass(frozen=True)
class Lexicon:
    """Token rewrites and the word lists that guard them (see `data/lexicon.toml`)."""

    words: Mapping[str, tuple[str, ...]]
    protected: frozenset[str]
    doubles: frozenset[str]
    common: frozenset[str]
    stopwords: frozenset[str] = frozenset()
    spatial: frozenset[str] = frozenset()
    located: frozenset[str] = frozenset()
    scene: tuple[str, ...] = ()
    numbers: frozenset[str] = frozenset()
    said_no: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    demands: frozenset[str] = frozenset()
    staff_demands: frozenset[str] = frozenset()
    staff: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    list_ends: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    introductions: frozenset[str] = frozenset()


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read a lexicon file; the default is the packaged one."""
    if path is None:
        raw = resources.files("flows").joinpath("data/lexicon.toml").read_bytes()
    else:
        raw = path.read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    return Lexicon(
        words={key: tuple(value.split()) for key, value in data.get("words", {}).items()},
        protected=frozenset(data.get("protected", ())),
        doubles=frozenset(data.get("doubles", ())),
        common=frozenset(data.get("common", ())),
        stopwords=frozenset(data.get("stopwords", ())),
        spatial=frozenset(data.get("spatial", ())),
        located=frozenset(data.get("located", ())),
        scene=tuple(data.get("scene", ())),
        numbers=frozenset(data.get("numbers", ())),
        said_no={key: tuple(value) for key, value in data.get("said_no", {}).items()},
        demands=frozenset(data.get("demands", ())),
        staff_demands=frozenset(data.get("staff_demands", ())),
        staff=frozenset(data.get("staff", ())),
        documents=frozenset(data.get("documents", ())),
        list_ends=frozenset(data.get("list_ends", ())),
        persons=frozenset(data.get("persons", ())),
        introductions=frozenset(data.get("introductions", ())),
    )


@cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, read once."""
    return load_lexicon()


def normalize(text: str, lexicon: Lexicon | None = None) -> str:
    """The text as space-separated normalised tokens.

    >>> normalize("Jln rusak PARAHHH kyk kubangan!!! 😡")
    'jalan rusak parah kayak kubangan'
    """
    return " ".join(tokens(text, lexicon))


def tokens(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """The normalised tokens of a text, in order."""
    lex = lexicon if lexicon is not None else default_lexicon()
    out: list[str] = []
    for raw in _NON_WORD.sub(" ", _plain(text)).split():
        out.extend(_rewrite(raw, lex))
    return out


def clauses(text: str, lexicon: Lexicon | None = None) -> tuple[list[str], frozenset[int]]:
    """The normalised tokens and the positions of the tokens that end a clause (before a
    comma, full stop, question mark and the like)."""
    words, ends, _ = sentences(text, lexicon)
    return words, ends


def sentences(
    text: str,
    lexicon: Lexicon | None = None,
    memo: dict[str, tuple[str, ...]] | None = None,
) -> tuple[list[str], frozenset[int], frozenset[int]]:
    """As `clauses`, with the positions of the tokens that end a sentence too (before a
    full stop, question or exclamation mark, semicolon or line break; not a comma).
    `memo` (the caller's, for one lexicon) remembers how each raw token was rewritten."""
    lex = lexicon if lexicon is not None else default_lexicon()
    out: list[str] = []
    ends: set[int] = set()
    full: set[int] = set()
    parts = _CLAUSE_SPLIT.split(_plain(text))
    for clause, mark in zip(parts[::2], [*parts[1::2], "."], strict=True):
        for raw in _NON_WORD.sub(" ", clause).split():
            if memo is None:
                out.extend(_rewrite(raw, lex))
                continue
            rewritten = memo.get(raw)
            if rewritten is None:
                if len(memo) >= _MAX_REWRITES:
                    memo.clear()
                rewritten = memo[raw] = _rewrite(raw, lex)
            out.extend(rewritten)
        if out:
            ends.add(len(out) - 1)
            if mark.strip(","):
                full.add(len(out) - 1)
    return out, frozenset(ends), frozenset(full)


def _plain(text: str) -> str:
    """Lowercase ASCII-ish text: accents, emoji and zero-width characters removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in {"Mn", "Cf"})


def _rewrite(token: str, lex: Lexicon) -> tuple[str, ...]:
    """One raw token as zero or more normalised tokens."""
    if token in lex.protected:
        return (token,)
    if token in lex.words:
        return lex.words[token]
    doubled = _REDUPLICATED.match(token)
    if doubled:
        word = _rewrite(doubled.group(1), lex)
        return word + word
    squeezed = squeeze(token, lex)
    if squeezed in lex.words:
        return lex.words[squeezed]
    for suffix in _DIALECT_CLITICS:  # "imahna", "banyune": Sunda -na, Jawa -ne/-e
        stem = squeezed[: -len(suffix)]
        if squeezed.endswith(suffix) and len(stem) >= _MIN_TRAILING_SQUEEZE and stem in lex.words:
            return lex.words[stem]
    return (squeezed,)


def squeeze(word: str, lexicon: Lexicon | None = None) -> str:
    """Undo stretched letters, keeping the real doubles listed in the lexicon.

    >>> squeeze("parahhh"), squeeze("maaaaf"), squeeze("tungguuu"), squeeze("gelapp")
    ('parah', 'maaf', 'tunggu', 'gelap')
    """
    lex = lexicon if lexicon is not None else default_lexicon()
    if word in lex.doubles or word in lex.protected:
        return word
    two = _RUN_OF_THREE.sub(r"\1\1", word)
    if two in lex.doubles:
        return two
    one = _RUN_OF_THREE.sub(r"\1", word)
    trailing_double = len(one) >= _MIN_TRAILING_SQUEEZE and one[-1] == one[-2]
    if trailing_double and one.isalpha() and one not in lex.doubles:
        return one[:-1]
    return one
