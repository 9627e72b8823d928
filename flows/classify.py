"""Propose the responsible body and the kind of problem from a resident's own words.

Theory of operation:

1. Normalise the text (`flows.normalize`: case, emoji, stretched letters, slang, Jawa
   Serang and Sunda words).
2. Map each token onto the keyword vocabulary: exactly, without a clitic ("sampahnya",
   "dijalan"), or within one edit (OSA, so a swapped pair is one edit; two edits from
   ten letters; no letter substitution below eight letters, "lebar" is not "lebah").
   Words under five letters and acronyms (KK, PJU, api) match exactly only, so "api"
   never hits "sapi"; everyday words ("sampai") are never corrected into keywords.
3. Find keyword phrases in order, allowing two skipped tokens ("jalan di gang rusak"
   finds "jalan rusak"). Longer, then stronger phrases claim their tokens first, so
   "lampu jalan" counts for Dishub and not again for DPUPR's "jalan"; neutral phrases
   (place names, idioms) claim tokens for nobody. A phrase weighs by its content words
   and tier (strong, normal, weak), is split among the bodies sharing it, and counts
   less when typed with a typo, with gaps, or as a landmark ("depan sekolah").
4. Sum per body. Confident only when the best body has enough evidence and clearly
   leads the runner-up; otherwise officers choose among the candidates.
5. Officer-confirmed examples are a nearest-neighbour memory: a report close to one
   (token-sort ratio over normalised words, high cutoff) goes to the example's body,
   above all keyword evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from flows.catalogue import FALLBACK_KIND, Catalogue
from flows.normalize import Lexicon, default_lexicon, tokens

PHRASE_WEIGHTS = (1.0, 1.7, 2.3)
"""Weight of a keyword with one, two and three content words (longer is more specific)."""


@dataclass(frozen=True)
class Tuning:
    """The knobs of the classifier, tuned on the `tune` rows of the evaluation set."""

    strong_weight: float = 2.0
    weak_weight: float = 0.35
    acronym_weight: float = 1.5
    neutral_rank: float = 1.2
    fuzzy_factor: float = 0.8
    gap_factor: float = 0.85
    landmark_factor: float = 0.4
    max_gap: int = 2
    min_fuzzy_length: int = 5
    confident_min: float = 1.5
    confident_ratio: float = 2.0
    example_cutoff: float = 86.0
    example_confident: float = 92.0
    example_weight: float = 2.0


DEFAULT_TUNING = Tuning()
NUMBER_WORD = "angka"  # any number, in kind keywords: "angka bulan" matches "3 bulan"
QUESTION_WORD = "tandatanya"  # a question mark, in kind keywords
_CLITIC_SUFFIXES = ("nya", "ny", "lah", "kah", "pun", "in")
_CLITIC_PREFIXES = ("di", "ke", "se")
_SUBSTITUTION_MIN_LENGTH = 8  # below this, only a missing, extra or swapped letter
_MAX_MEMO = 50_000
_MAX_EXAMPLE_CANDIDATES = 300


@dataclass(frozen=True)
class Candidate:
    """A body proposed for a report, with its score and the words that point to it."""

    body_id: str
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    """Ranked candidates (best first, only bodies with evidence), confidence and kind."""

    candidates: tuple[Candidate, ...]
    confident: bool
    kind: str


@dataclass(frozen=True)
class _Token:
    """A report token mapped onto the vocabulary (`fuzzy` when by edit distance)."""

    word: str
    typed: str
    fuzzy: bool


@dataclass(frozen=True)
class _Phrase:
    """A keyword phrase: who it points to (nobody for a neutral phrase) and its rank."""

    words: tuple[str, ...]
    hits: tuple[tuple[int, float], ...]
    rank: float


class _PhraseIndex:
    """Keyword phrases of one family (bodies or kinds), found in order with small gaps."""

    def __init__(
        self,
        entries: Iterable[tuple[int, tuple[str, ...], float]],
        neutral: Iterable[tuple[str, ...]],
        stopwords: frozenset[str],
        tuning: Tuning,
        spatial: frozenset[str] = frozenset(),
    ) -> None:
        best: dict[tuple[str, ...], dict[int, float]] = defaultdict(dict)
        for slot, words, weight in entries:
            if words and len(words) <= len(PHRASE_WEIGHTS):
                best[words][slot] = max(weight, best[words].get(slot, 0.0))
        for words, slots in best.items():  # a phrase is as strong as its strongest word
            for slot in slots:
                word_weights = (best.get((w,), {}).get(slot, 0.0) for w in words)
                slots[slot] = max(slots[slot], *word_weights)
        for words in neutral:
            best.setdefault(words, {})
        self.first: dict[str, list[_Phrase]] = defaultdict(list)
        for words, slots in best.items():
            content = min(len(PHRASE_WEIGHTS), max(1, sum(w not in stopwords for w in words)))
            length = PHRASE_WEIGHTS[content - 1]
            hits = tuple((slot, w * length / len(slots)) for slot, w in slots.items())
            rank = length * (max(slots.values()) if slots else tuning.neutral_rank)
            self.first[words[0]].append(_Phrase(words, hits, rank))
        self.vocabulary = frozenset(w for words in best for w in words)
        self._tuning = tuning
        self._spatial = spatial

    def match(self, toks: Sequence[_Token]) -> dict[int, tuple[float, list[str]]]:
        """Score per slot; longer, then stronger phrases claim their tokens first."""
        t = self._tuning
        found_phrases: list[tuple[_Phrase, tuple[int, ...]]] = []
        for start, tok in enumerate(toks):
            for phrase in self.first.get(tok.word, ()):
                gap = t.max_gap if phrase.hits else 0
                positions = _find(phrase.words, toks, start, gap)
                if positions is not None:
                    found_phrases.append((phrase, positions))
        found_phrases.sort(
            key=lambda f: (-len(f[0].words), -f[0].rank, f[1][-1] - f[1][0], f[1][0])
        )
        used: set[int] = set()
        scores: dict[int, tuple[float, list[str]]] = {}
        for phrase, positions in found_phrases:
            if used.intersection(positions):
                continue
            used.update(positions)
            fuzzy = [toks[i] for i in positions if toks[i].fuzzy]
            factor = self._factor(toks, positions, bool(fuzzy))
            label = _label(phrase.words, fuzzy)
            for slot, weight in phrase.hits:
                score, labels = scores.get(slot, (0.0, []))
                labels.append(label)
                scores[slot] = (score + weight * factor, labels)
        return scores

    def _factor(self, toks: Sequence[_Token], positions: tuple[int, ...], fuzzy: bool) -> float:
        """Less weight for typo matches, gapped matches and landmarks ("depan sekolah")."""
        t = self._tuning
        factor = t.fuzzy_factor if fuzzy else 1.0
        if positions[-1] - positions[0] >= len(positions):
            factor *= t.gap_factor
        if positions[0] > 0 and toks[positions[0] - 1].word in self._spatial:
            factor *= t.landmark_factor
        return factor


def _find(
    words: tuple[str, ...], toks: Sequence[_Token], start: int, gap: int
) -> tuple[int, ...] | None:
    """Positions of `words` in order from `start`, skipping at most `gap` tokens in all."""
    positions = [start]
    at = start + 1
    for word in words[1:]:
        for i in range(at, min(len(toks), at + gap + 1)):
            if toks[i].word == word:
                gap -= i - at
                positions.append(i)
                at = i + 1
                break
        else:
            return None
    return tuple(positions)


def _label(words: tuple[str, ...], fuzzy_tokens: Sequence[_Token]) -> str:
    """What officers see for one hit: the keyword, and what was typed if it differed."""
    keyword = " ".join(words)
    if not fuzzy_tokens:
        return keyword
    return f"{keyword} (~{' '.join(t.typed for t in fuzzy_tokens)})"


class _Examples:
    """Officer-confirmed reports, searched by token-sort similarity."""

    def __init__(self, common: frozenset[str]) -> None:
        self._common = common
        self._body: dict[str, str] = {}
        self._text: dict[str, str] = {}
        self._by_token: dict[str, set[str]] = defaultdict(set)

    def add(self, words: Sequence[str], body_id: str) -> None:
        """Remember (or re-route) one example; the latest decision wins."""
        if len(words) < 2:
            return
        key = " ".join(sorted(words))
        self._body[key] = body_id
        self._text[key] = " ".join(words)
        for word in self._content(words):
            self._by_token[word].add(key)

    def nearest(self, words: Sequence[str], cutoff: float) -> tuple[str, float, str] | None:
        """(body id, similarity 0-100, example text) of the closest example above `cutoff`."""
        if len(words) < 2 or not self._body:
            return None
        shared: dict[str, int] = defaultdict(int)
        for word in self._content(words):
            for key in self._by_token.get(word, ()):
                shared[key] += 1
        if not shared:
            return None
        pool = sorted(shared, key=shared.__getitem__, reverse=True)[:_MAX_EXAMPLE_CANDIDATES]
        found = process.extractOne(
            " ".join(sorted(words)), pool, scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if found is None:
            return None
        key, similarity, _ = found
        return self._body[key], float(similarity), self._text[key]

    def _content(self, words: Iterable[str]) -> set[str]:
        """Words that can tell two reports apart (not everyday words, not tiny ones)."""
        return {w for w in words if len(w) >= 3 and w not in self._common}


class Classifier:
    """Routes reports to bodies using the catalogue keywords and officers' examples."""

    def __init__(
        self,
        catalogue: Catalogue,
        examples: Iterable[tuple[str, str]] = (),
        *,
        lexicon: Lexicon | None = None,
        tuning: Tuning = DEFAULT_TUNING,
    ) -> None:
        self.catalogue = catalogue
        self._lexicon = lex = lexicon if lexicon is not None else default_lexicon()
        self._tuning = tuning
        self._body_ids = tuple(body.id for body in catalogue.bodies)
        self._kind_ids = tuple(kind.id for kind in catalogue.kinds)
        neutral = [self._words(phrase) for phrase in catalogue.neutral]
        self._bodies = _PhraseIndex(
            self._body_entries(), neutral, lex.stopwords, tuning, lex.spatial
        )
        kind_entries = (
            (slot, self._words(keyword), 1.0)
            for slot, kind in enumerate(catalogue.kinds)
            for keyword in kind.keywords
        )
        self._kinds = _PhraseIndex(kind_entries, neutral, lex.stopwords, tuning)
        self._vocabulary = self._bodies.vocabulary | self._kinds.vocabulary
        exact_only = {a.lower() for body in catalogue.bodies for a in body.acronyms}
        self._fuzzy_targets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self._vocabulary - exact_only - lex.protected):
            if len(word) >= tuning.min_fuzzy_length and word.isalpha():
                self._fuzzy_targets[word[0]].append(word)
        self._memo: dict[str, _Token] = {}
        self._examples = _Examples(lex.common | lex.stopwords)
        for text, body_id in examples:
            self.learn(text, body_id)

    def classify(self, text: str) -> Classification:
        """Ranked candidate bodies, whether the best is clear, and the kind of problem."""
        toks = [self._map(word) for word in tokens(text, self._lexicon)]
        t = self._tuning
        scores = self._bodies.match(toks)
        ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[0]))
        example = self._examples.nearest([tok.word for tok in toks], t.example_cutoff)
        if example is not None:
            body_id, similarity, shown = example
            slot = self._body_ids.index(body_id)
            top = ranked[0][1][0] if ranked else 0.0
            own = scores.get(slot, (0.0, []))[1]
            boosted = (top + t.example_weight * similarity / 100, [f"contoh: {shown}", *own])
            ranked = [(slot, boosted)] + [item for item in ranked if item[0] != slot]
        candidates = tuple(
            Candidate(self._body_ids[slot], round(score, 3), tuple(dict.fromkeys(labels)))
            for slot, (score, labels) in ranked
        )
        confident = _clear(candidates, t)
        if example is not None and example[1] >= t.example_confident:
            confident = True
        return Classification(candidates, confident, self._kind(toks, "?" in text))

    def learn(self, text: str, body_id: str) -> None:
        """Remember one officer-confirmed (or re-routed) report."""
        self.catalogue.body(body_id)  # unknown ids are an error, not a silent no-op
        words = [self._map(word).word for word in tokens(text, self._lexicon)]
        self._examples.add(words, body_id)

    def _kind(self, toks: Sequence[_Token], question: bool) -> str:
        """The kind with the most evidence (file order breaks ties), else the fallback."""
        marked = [_Token(NUMBER_WORD, t.typed, False) if t.word.isdigit() else t for t in toks]
        if question:
            marked.append(_Token(QUESTION_WORD, "?", False))
        scores = self._kinds.match(marked)
        if not scores:
            return FALLBACK_KIND
        slot = min(scores, key=lambda s: (-scores[s][0], s))
        return self._kind_ids[slot]

    def _body_entries(self) -> Iterable[tuple[int, tuple[str, ...], float]]:
        """(slot, normalised phrase, weight) for every keyword of every tier."""
        t = self._tuning
        for slot, body in enumerate(self.catalogue.bodies):
            for acronym in body.acronyms:
                yield slot, (acronym.lower(),), t.acronym_weight
            tiers = (
                (body.keywords, 1.0),
                (body.strong_keywords, t.strong_weight),
                (body.weak_keywords, t.weak_weight),
            )
            for keywords, weight in tiers:
                for keyword in keywords:
                    yield slot, self._words(keyword), weight

    def _words(self, phrase: str) -> tuple[str, ...]:
        """A keyword normalised like a report."""
        return tuple(tokens(phrase, self._lexicon))

    def _map(self, typed: str) -> _Token:
        """A report token mapped onto the vocabulary (memoised per classifier)."""
        known = self._memo.get(typed)
        if known is None:
            if len(self._memo) >= _MAX_MEMO:
                self._memo.clear()
            known = self._memo[typed] = self._lookup(typed)
        return known

    def _lookup(self, typed: str) -> _Token:
        """Exact word, clitic-stripped word, or the closest vocabulary word by OSA."""
        if typed in self._vocabulary or typed in self._lexicon.common:
            return _Token(typed, typed, False)
        for stem in _stems(typed):
            if stem in self._vocabulary:
                return _Token(stem, typed, False)
        if len(typed) < self._tuning.min_fuzzy_length or not typed.isalpha():
            return _Token(typed, typed, False)
        edits = 1 if len(typed) < 10 else 2
        targets = self._fuzzy_targets.get(typed[0], ())
        for word, _, _ in process.extract(
            typed, targets, scorer=OSA.distance, score_cutoff=edits, limit=3
        ):
            if len(typed) >= _SUBSTITUTION_MIN_LENGTH or not _substitution(typed, word):
                return _Token(word, typed, True)
        return _Token(typed, typed, False)


def _substitution(typed: str, word: str) -> bool:
    """True when `word` differs from `typed` by replaced letters only ("lebar"/"lebah")."""
    return len(typed) == len(word) and sum(a != b for a, b in zip(typed, word, strict=True)) == 1


def _stems(word: str) -> Iterable[str]:
    """The word without one clitic: "sampahnya" -> "sampah", "dijalan" -> "jalan"."""
    for suffix in _CLITIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            yield word[: -len(suffix)]
    for prefix in _CLITIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            yield word[len(prefix) :]


def _clear(candidates: Sequence[Candidate], tuning: Tuning) -> bool:
    """True when the best candidate has enough evidence and clearly leads."""
    if not candidates or candidates[0].score < tuning.confident_min:
        return False
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    return candidates[0].score >= tuning.confident_ratio * runner_up


def classification_json(text: str, result: Classification) -> dict[str, object]:
    """The result as plain JSON-able data (for the CLI and officers' tools)."""
    return {
        "text": text,
        "candidates": [
            {"id": c.body_id, "score": c.score, "matched": list(c.matched)}
            for c in result.candidates
        ],
        "confident": result.confident,
        "kind": result.kind,
    }
