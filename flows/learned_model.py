"""The learned layer: linear models over the n-grams of labelled complaints.

Theory of operation: the city pack's labelled complaints (`examples.tsv`: body, kind,
text) and the catalogue's own phrases (each keyword a tiny document of its body, each
kind cue one of its kind) are normalised like reports (`flows.classify` passes the
words it reads) and turned into TF-IDF features: character n-grams within words (3 to
5 letters, so a misspelt or dialect form shares most of its n-grams with a known one)
and word unigrams and bigrams, each block L2-normalised. One linear SVM per task
(scikit-learn `LinearSVC`, one-vs-rest, deterministic) learns the body and the kind.

Training happens when the classifier is built (`train`, in this process), or elsewhere
through a `Trainer`: the bot trains in a child process and keeps the model as plain
arrays (`arrays`, `from_arrays`, `fingerprint`; `suara_warga.model_training`). No
weights are shipped or fetched. Reading a report needs no scikit-learn: the n-grams of
one text (`char_ngrams`, `word_ngrams`: the ones scikit-learn's analysers make) are
weighed and multiplied with the learned weights (`decisions`), several times faster than
scikit-learn's per-call checks. The decision values are margins (about -1.5 .. +1.5;
above 0: the model says "this one"); `flows.classify` blends them with the keyword scores.

scikit-learn is imported only by `fit`, so a pack without examples (and the keyword-only
classifier) neither loads it nor pays its memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from flows.catalogue import Catalogue
from flows.labelled_examples import UNCLEAR, LabelledExample

__all__ = [
    "Decisions",
    "LabelledText",
    "LearnedModel",
    "Trainer",
    "char_ngrams",
    "documents",
    "fingerprint",
    "fit",
    "train",
    "word_ngrams",
]

C = 1.0
"""The SVMs' regularisation (chosen by leave-one-set-out cross-validation)."""
TOLERANCE = 0.01
"""The SVMs' stopping tolerance: as accurate as 1e-4 in cross-validation, twice as fast."""
_MAX_MEMO = 50_000
CHARS = (3, 5)
"""Character n-gram lengths (n-grams seen in one document only are dropped)."""

Decisions = dict[str, float]
"""Label -> the model's margin for it."""

Trainer = Callable[[Sequence["LabelledText"], Sequence["LabelledText"]], "LearnedModel"]
"""What trains a model from (body documents, kind documents): `train` in this process;
the bot passes one that trains in a short-lived child process
(`suara_warga.model_training`), so it never imports scikit-learn itself."""


@dataclass(frozen=True)
class LabelledText:
    """One training document: normalised text, label, weight."""

    text: str
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class _Block:
    """One TF-IDF feature block: its analyser, vocabulary, idf and column offset, and
    whether its n-grams stay within words (then a text's n-grams are its words' n-grams,
    and each word's columns are remembered)."""

    analyse: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]
    offset: int
    within_words: bool = False


@dataclass(frozen=True)
class _Linear:
    """A trained one-vs-rest linear model: weights (features x labels) and intercepts."""

    labels: tuple[str, ...]
    weights: npt.NDArray[np.float32]
    intercepts: npt.NDArray[np.float64]


class LearnedModel:
    """Body and kind margins of a normalised text, from models trained at start."""

    def __init__(self, blocks: Sequence[_Block], body: _Linear | None, kind: _Linear | None):
        self._blocks = tuple(blocks)
        self._body_labels = body.labels if body else ()
        self._kind_labels = kind.labels if kind else ()
        models = [m for m in (body, kind) if m is not None]  # one matrix for both
        self._split = len(self._body_labels)
        self._weights = np.hstack([m.weights for m in models]) if models else None
        self._intercepts = np.concatenate([m.intercepts for m in models]) if models else None
        if self._weights is not None:
            self._weights.flags.writeable = False
        self._columns: dict[str, list[int]] = {}  # a word's within-word n-gram columns

    @property
    def bodies(self) -> tuple[str, ...]:
        """The body labels the model knows (empty: no body model)."""
        return self._body_labels

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The model as plain NumPy arrays (strings, numbers; no objects), to be kept by
        the caller (`suara_warga.model_training`) and read back with `from_arrays`."""
        out: dict[str, npt.NDArray[Any]] = {
            "body_labels": np.array(self._body_labels, dtype=str),
            "kind_labels": np.array(self._kind_labels, dtype=str),
        }
        for block in self._blocks:
            name = "char" if block.within_words else "word"
            ordered = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
            out[f"{name}_vocabulary"] = np.array(ordered, dtype=str)
            out[f"{name}_idf"] = np.asarray(block.idf)
        if self._weights is not None and self._intercepts is not None:
            out["weights"], out["intercepts"] = self._weights, self._intercepts
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> LearnedModel:
        """The model `arrays` describes (KeyError or ValueError when they do not)."""
        blocks: list[_Block] = []
        offset = 0
        for name, analyse, within in (("char", char_ngrams, True), ("word", word_ngrams, False)):
            words = [str(w) for w in arrays[f"{name}_vocabulary"]]
            idf = np.array(arrays[f"{name}_idf"], dtype=np.float64)
            if len(idf) != len(words):
                raise ValueError(f"{name}: {len(words)} n-grams but {len(idf)} weights")
            vocabulary = {w: column for column, w in enumerate(words)}
            blocks.append(_Block(analyse, vocabulary, idf, offset, within))
            offset += len(words)
        bodies = tuple(str(b) for b in arrays["body_labels"])
        kinds = tuple(str(k) for k in arrays["kind_labels"])
        if not bodies and not kinds:
            return cls(blocks, None, None)
        weights = np.array(arrays["weights"], dtype=np.float32)
        intercepts = np.array(arrays["intercepts"], dtype=np.float64)
        if weights.shape != (offset, len(bodies) + len(kinds)):
            raise ValueError(f"weights of shape {weights.shape} do not fit the vocabularies")
        split = len(bodies)
        body = _Linear(bodies, weights[:, :split], intercepts[:split]) if bodies else None
        kind = _Linear(kinds, weights[:, split:], intercepts[split:]) if kinds else None
        return cls(blocks, body, kind)

    def decisions(self, text: str) -> tuple[Decisions, Decisions]:
        """(body margins, kind margins) of one normalised text."""
        if self._weights is None or self._intercepts is None:
            return {}, {}
        columns, values = self._features(text)
        margins = (self._intercepts + values @ self._weights[columns]).tolist()
        return (
            dict(zip(self._body_labels, margins[: self._split], strict=True)),
            dict(zip(self._kind_labels, margins[self._split :], strict=True)),
        )

    def _features(self, text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """The non-zero TF-IDF columns and values (sublinear tf, L2 per block), as
        scikit-learn's `TfidfVectorizer(sublinear_tf=True)` computes them."""
        columns: list[npt.NDArray[np.intp]] = []
        values: list[npt.NDArray[np.float64]] = []
        for block in self._blocks:
            if block.within_words:
                found = [c for word in text.split() for c in self._of_word(block, word)]
            else:
                vocabulary = block.vocabulary
                found = [vocabulary[g] for g in block.analyse(text) if g in vocabulary]
            if not found:
                continue
            unique, counts = np.unique(np.array(found, dtype=np.intp), return_counts=True)
            mine = (1.0 + np.log(counts)) * block.idf[unique]
            columns.append(unique + block.offset)
            values.append(mine / (np.linalg.norm(mine) or 1.0))
        if not columns:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        return np.concatenate(columns), np.concatenate(values)

    def _of_word(self, block: _Block, word: str) -> list[int]:
        """The columns of one word's n-grams (memoised; one within-word block only)."""
        known = self._columns.get(word)
        if known is None:
            if len(self._columns) >= _MAX_MEMO:
                self._columns.clear()
            vocabulary = block.vocabulary
            known = [vocabulary[g] for g in block.analyse(word) if g in vocabulary]
            self._columns[word] = known
        return known


def fingerprint(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> str:
    """What the trained model depends on (the documents in any order, the settings), as
    a hex digest: a model kept under this name is the one `fit` would train."""
    digest = hashlib.sha256(f"v1 {CHARS} {C} {TOLERANCE}".encode())
    for task, docs in (("body", bodies), ("kind", kinds)):
        for doc in sorted(docs, key=lambda d: (d.text, d.label, d.weight)):
            digest.update(f"\n{task}\t{doc.label}\t{doc.weight}\t{doc.text}".encode())
    return digest.hexdigest()


def char_ngrams(text: str) -> list[str]:
    """The character n-grams (lengths `CHARS`) within each word, padded with a space at
    both ends, as scikit-learn's `analyzer="char_wb"` makes them."""
    low, high = CHARS
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
            if len(padded) <= n:  # a short word counts once, whole
                break
    return grams


def word_ngrams(text: str) -> list[str]:
    """The words and the pairs of neighbouring words."""
    words = text.split()
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def train(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> LearnedModel:
    """`fit`, remembered: training is deterministic, so a model trained once is reused
    for the same documents (several classifiers or tests in one process)."""
    return _trained(tuple(bodies), tuple(kinds))


@lru_cache(maxsize=4)
def _trained(bodies: tuple[LabelledText, ...], kinds: tuple[LabelledText, ...]) -> LearnedModel:
    return fit(bodies, kinds)


def fit(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> LearnedModel:
    """Fit one feature space on all documents, then a body and a kind SVM (a task with
    fewer than two labels gets no model). Deterministic: same documents, same model; the
    model is read-only, and the order of the documents does not matter."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: only when used
    from sklearn.svm import LinearSVC

    texts = sorted({doc.text for doc in (*bodies, *kinds)})
    row = {text: number for number, text in enumerate(texts)}
    blocks: list[_Block] = []
    matrices: list[Any] = []
    offset = 0
    for analyse, min_df, within in ((char_ngrams, 2, True), (word_ngrams, 1, False)):
        vectoriser: Any = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=min_df)
        matrices.append(vectoriser.fit_transform(texts))
        vocabulary = {str(k): int(v) for k, v in vectoriser.vocabulary_.items()}
        idf = np.array(vectoriser.idf_, dtype=np.float64)
        idf.flags.writeable = False
        blocks.append(_Block(analyse, vocabulary, idf, offset, within))
        offset += len(vocabulary)
    features = hstack(matrices).tocsr()

    def linear(given: Sequence[LabelledText]) -> _Linear | None:
        docs = sorted(given, key=lambda d: (d.text, d.label, d.weight))  # order-free
        labels = sorted({d.label for d in docs})
        if len(labels) < 2:
            return None
        svm: Any = LinearSVC(C=C, tol=TOLERANCE, random_state=0)
        svm.fit(
            features[[row[d.text] for d in docs]],
            [d.label for d in docs],
            sample_weight=[d.weight for d in docs],
        )
        classes = tuple(str(c) for c in svm.classes_)
        coef = np.asarray(svm.coef_, dtype=np.float32)
        intercept = np.asarray(svm.intercept_, dtype=np.float64)
        if len(classes) == 2:  # scikit-learn keeps one row for two labels
            coef = np.vstack([-coef, coef])
            intercept = np.concatenate([-intercept, intercept])
        return _Linear(classes, np.ascontiguousarray(coef.T), intercept)

    return LearnedModel(blocks, linear(bodies), linear(kinds))


def documents(
    catalogue: Catalogue,
    examples: Iterable[LabelledExample],
    normalise: Callable[[str], str],
) -> tuple[list[LabelledText], list[LabelledText]]:
    """(body documents, kind documents): the labelled complaints (an `unclear` one
    trains the kind only) and the catalogue's phrases, each normalised like a report."""
    bodies: list[LabelledText] = []
    kinds: list[LabelledText] = []
    for example in examples:
        text = normalise(example.text)
        if example.body != UNCLEAR:
            bodies.append(LabelledText(text, example.body))
        kinds.append(LabelledText(text, example.kind))
    for body in catalogue.bodies:
        for phrase in (*body.strong_keywords, *body.keywords, *body.acronyms):
            bodies.append(LabelledText(normalise(phrase), body.id))
    for kind in catalogue.kinds:
        for phrase in (*kind.strong_keywords, *kind.keywords):
            kinds.append(LabelledText(normalise(phrase), kind.id))
    return [d for d in bodies if d.text], [d for d in kinds if d.text]
