"""Propose the responsible body and the kind of problem from a resident's own words.

Theory of operation:

1. Normalise the text (`flows.normalize`: case, emoji, stretched letters, slang, Jawa
   Serang and Sunda words).
2. Map each token onto the keyword vocabulary (`flows.token_map`): exactly, without a
   clitic ("sampahnya", "dijalan"), or within one edit (OSA; two from ten letters) when
   the edit keeps the stem (`flows.loose`: "melaporkan" is not "melahirkan"). Words
   under five letters, acronyms and everyday words match exactly only.
3. Find keyword phrases (`flows.phrases`). A phrase weighs by its content words, tier
   and how much it tells (`flows.word_weights`: "anak" tells little, "digigit anjing"
   a lot), less as a typo, with gaps or as a place ("depan sekolah", "di pasar"), and
   as the words around it say (`flows.hit_context`: denied after "bukan", hearsay, an
   address, the office's own name after "dinas"). Documents another service demanded
   (`flows.demanded`), words about who the person is and the writer's own introduction
   (`flows.persons`) count as landmarks.
4. Read what the report says about offices (`flows.said_no`): an office that said no
   ("katanya bukan wewenang mereka") counts against itself, one the resident was sent
   to ("disuruh ke kelurahan") for itself. A road or site under another authority
   (`outside_places` in the catalogue: "Jalan Raya Merak", read even when another
   phrase claimed a word of its name) takes over the road bodies' evidence
   (`flows.place_take_over`).
5. Sum per body. Confident only when the best body has enough evidence from more than
   one incidental phrase and clearly leads the runner-up.
6. When the city pack has labelled complaints, a learned layer (`flows.learned_model`,
   trained at start) reads the same words; its margins are blended with the keyword
   scores and the kind rules (`flows.blend`), and confidence needs both to agree.
7. Officer-confirmed examples (`flows.examples`) are a nearest-neighbour memory: a report
   close to one goes to the example's body, above all keyword evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flows.blend import DEFAULT_BLEND, BlendTuning, Scores, blend_kind, blend_with_places
from flows.catalogue import FALLBACK_KIND, Catalogue
from flows.classification import Candidate, Classification, classification_json
from flows.demanded import DemandWords, as_demanded, demanded_positions
from flows.examples import Examples
from flows.hit_context import ContextFactors, HitContext, ambiguous_acronyms, shorthand_count
from flows.keyword_confidence import clear, narrower
from flows.kind_decision import decide, mark_numbers, precedence_slots
from flows.labelled_examples import LabelledExample
from flows.learned_lessons import LessonText, lesson_documents
from flows.learned_model import LabelledText, LearnedModel, Trainer, documents, train
from flows.learned_words import LearnedWords
from flows.normalize import Lexicon, default_lexicon, sentences, tokens
from flows.persons import PERSON, WHO, as_persons, as_writer
from flows.phrases import Hit, MatchFactors, PhraseIndex, Token, total, unclaimed_places
from flows.place_take_over import take_over
from flows.said_no import Role, roles, said_no_words
from flows.token_map import TokenMap
from flows.word_weights import specificity


@dataclass(frozen=True)
class Tuning:
    """The knobs of the classifier, tuned on the `tune` rows of the evaluation sets."""

    strong_weight: float = 2.0
    weak_weight: float = 0.35
    acronym_weight: float = 1.5
    place_weight: float = 0.5
    neutral_rank: float = 1.2
    fuzzy_factor: float = 0.8
    gap_factor: float = 0.85
    landmark_factor: float = 0.3
    located_factor: float = 0.7
    max_gap: int = 2
    min_fuzzy_length: int = 5
    scene_share: float = 0.01
    specificity_power: float = 1.0
    specificity_floor: float = 0.1
    refused_factor: float = 0.3
    sent_factor: float = 1.5
    visited_but_factor: float = 0.3
    visited_factor: float = 1.0
    taken_over_factor: float = 0.3
    address_factor: float = 0.2
    hearsay_factor: float = 0.5
    named_office_factor: float = 2.0
    shorthand_tokens: int = 2
    shorthand_factor: float = 0.4
    confident_min: float = 1.2
    confident_ratio: float = 2.0
    breadth_phrases: int = 3
    breadth_min: float = 1.0
    person_least: float = 1.0
    kind_min: float = 0.6
    kind_decisive: float = 1.5
    kind_weak_weight: float = 0.35
    example_cutoff: float = 86.0
    example_confident: float = 92.0
    example_weight: float = 2.0
    learned_weight: float = 0.5
    learned_cap: float = 1.5


__all__ = [
    "DEFAULT_TUNING",
    "Candidate",
    "Classification",
    "Classifier",
    "Tuning",
    "classification_json",
]

DEFAULT_TUNING = Tuning()
QUESTION_WORD = "tandatanya"  # a question mark, in kind keywords


class Classifier:
    """Routes reports to bodies using the catalogue keywords and officers' examples."""

    def __init__(
        self,
        catalogue: Catalogue,
        examples: Iterable[tuple[str, str]] = (),
        *,
        lexicon: Lexicon | None = None,
        tuning: Tuning = DEFAULT_TUNING,
        labelled: Sequence[LabelledExample] = (),
        blend: BlendTuning = DEFAULT_BLEND,
        trainer: Trainer = train,
    ) -> None:
        self.catalogue = catalogue
        self._blend = blend
        self._lexicon = lex = lexicon if lexicon is not None else default_lexicon()
        self._tuning = t = tuning
        self._body_ids = tuple(body.id for body in catalogue.bodies)
        self._kind_ids = tuple(kind.id for kind in catalogue.kinds)
        self._kind_order = precedence_slots(self._kind_ids, catalogue.kind_precedence)
        factors = MatchFactors(
            t.fuzzy_factor, t.gap_factor, t.landmark_factor, t.located_factor, t.max_gap,
            t.neutral_rank,
        )  # fmt: skip
        neutral = [self._words(phrase) for phrase in catalogue.neutral]
        entries = list(self._body_entries())
        by_body: list[list[tuple[str, ...]]] = [[] for _ in self._body_ids]
        for slot, words, _ in entries:
            by_body[slot].append(words)
        tells = specificity(
            by_body,
            [self._words(w) for w in lex.scene],
            scene_share=t.scene_share,
            power=t.specificity_power,
            floor=t.specificity_floor,
        )
        self._places = {self._words(n): p for p in catalogue.outside_places for n in p.names}
        self._place_index = PhraseIndex(
            self._place_entries(), (), lex.stopwords, factors, spatial=lex.spatial,
            located=lex.located, specificity=tells,
        )  # fmt: skip
        self._bodies = PhraseIndex(
            entries, neutral, lex.stopwords, factors, spatial=lex.spatial,
            located=lex.located, specificity=tells,
        )  # fmt: skip
        kind_entries = (
            (slot, self._words(keyword), weight)
            for slot, kind in enumerate(catalogue.kinds)
            for keywords, weight in (
                (kind.keywords, 1.0),
                (kind.strong_keywords, t.strong_weight),
                (kind.weak_keywords, t.kind_weak_weight),
            )
            for keyword in keywords
        )
        self._kinds = PhraseIndex(kind_entries, neutral, lex.stopwords, factors)
        self._said = said_no_words(lex.said_no, self._words)
        self._demand = DemandWords(
            lex.demands, lex.staff_demands, lex.staff, lex.documents, lex.list_ends,
            lex.stopwords,
        )  # fmt: skip
        self._vocabulary = self._bodies.vocabulary | self._kinds.vocabulary
        exact_only = {a.lower() for body in catalogue.bodies for a in body.acronyms}
        everyday = lex.common | lex.stopwords | {w for v in lex.words.values() for w in v}
        self._context = HitContext(
            place_starts=frozenset(w[0] for w in neutral if w and w[0] not in lex.common),
            refusal_words=frozenset(w for p in self._said.refusals for w in p),
            ambiguous_acronyms=ambiguous_acronyms(exact_only, everyday, lex.protected),
            factors=ContextFactors(
                t.address_factor, t.hearsay_factor, t.named_office_factor, t.shorthand_factor
            ),
        )
        self._rewrites: dict[str, tuple[str, ...]] = {}
        self._map = TokenMap(self._vocabulary, lex, exact_only, t.min_fuzzy_length).map
        self._examples = Examples(lex.common | lex.stopwords)
        self._kind_examples = Examples(lex.common | lex.stopwords)
        scene_words = {w for phrase in lex.scene for w in self._words(phrase)}
        self._learned = LearnedWords(lex.common | lex.stopwords | scene_words | self._vocabulary)
        self._model: LearnedModel | None = None
        self.trainer = trainer
        self._pack_documents: tuple[list[LabelledText], list[LabelledText]] | None = None
        if labelled:
            self._pack_documents = documents(catalogue, labelled, self._normalised)
            self._model = trainer(*self._pack_documents)
        for text, body_id in examples:
            self.learn(text, body_id)

    def classify(self, text: str) -> Classification:
        """Ranked candidate bodies, whether the best is clear, and the kind of problem."""
        words, ends, full_stops = sentences(text, self._lexicon, self._rewrites)
        toks = [self._map(word) for word in words]
        t = self._tuning
        scores, strong, moved, who = self._score(toks, ends, full_stops)
        for body_id, gained in self._learned.evidence(
            [tok.word for tok in toks], t.learned_weight, t.learned_cap
        ).items():
            slot = self._body_ids.index(body_id)
            score, labels = scores.get(slot, (0.0, []))
            scores[slot] = (score + gained, [*labels, "koreksi petugas"])
        model_words = [PERSON if i in who else tok.word for i, tok in enumerate(toks)]
        body_margins, kind_margins = (
            self._model.decisions(" ".join(model_words)) if self._model else ({}, {})
        )
        if self._model is not None:
            ranked, blended_sure = blend_with_places(
                scores, body_margins, moved, self._body_ids, self._blend
            )
            blended_top = ranked[0][0] if ranked else None
        else:
            ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[0]))
            ranked = [item for item in ranked if item[1][0] > 0 or item[1][1]]
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
        confident = clear(candidates, t.confident_min, t.confident_ratio) and (
            strong.get(ranked[0][0], False)
        )
        if (
            confident
            and len(candidates) > 1
            and narrower(candidates[0], candidates[1], t.breadth_phrases, t.breadth_min)
        ):
            confident = False
        if self._model is not None:
            agrees = example is None or self._body_ids.index(example[0]) == blended_top
            confident = blended_sure and agrees  # an officers' example may only confirm
        if example is not None and example[1] >= t.example_confident:
            confident = True
        kind = self._kind_example(toks)
        if kind is None:
            kind = self._kind(toks, "?" in text)
            if self._model is not None:
                kind = blend_kind(kind_margins, kind, self._blend)
        return Classification(candidates, confident, kind)

    def model_documents(
        self, lessons: Iterable[LessonText] = ()
    ) -> tuple[list[LabelledText], list[LabelledText]] | None:
        """The learned layer's training documents: the pack's, then the officers'
        `lessons` (None: this classifier has no learned layer)."""
        if self._pack_documents is None:
            return None
        bodies, kinds = lesson_documents(self.catalogue, lessons, self._normalised)
        pack_bodies, pack_kinds = self._pack_documents
        return [*pack_bodies, *bodies], [*pack_kinds, *kinds]

    def use_model(self, model: LearnedModel) -> None:
        """Answer with `model` from now on (one assignment: a report is read by the old
        model or the new one, never half of each)."""
        self._model = model

    def forget_lessons(self) -> None:
        """Forget every officer's lesson taught so far (`learn`, `learn_kind`), e.g. when
        some were erased: the caller teaches the remaining ones again."""
        self._examples.clear()
        self._kind_examples.clear()
        self._learned.clear()

    def learn(self, text: str, body_id: str) -> None:
        """Remember one officer-confirmed (or re-routed) report."""
        self.catalogue.body(body_id)  # unknown ids are an error, not a silent no-op
        words = [self._map(word).word for word in tokens(text, self._lexicon)]
        self._examples.add(words, body_id)
        self._learned.add(words, body_id)

    def learn_kind(self, text: str, kind_id: str) -> None:
        """Remember an officer's correction of a report's kind of problem."""
        self.catalogue.kind(kind_id)  # unknown ids are an error (KeyError)
        words = [self._map(word).word for word in tokens(text, self._lexicon)]
        self._kind_examples.add(words, kind_id)

    def _score(
        self, toks: Sequence[Token], ends: frozenset[int], full_stops: frozenset[int]
    ) -> tuple[Scores, dict[int, bool], set[tuple[str, str]], frozenset[int]]:
        """Score and labels per body slot, whether each body's evidence is more than one
        incidental phrase, the (taken, taking) bodies of a named outside place, and the
        positions of words that only say who someone is (`flows.persons`)."""
        t = self._tuning
        words = [tok.word for tok in toks]
        typed = [tok.typed for tok in toks]
        shorthand = shorthand_count(typed, self._vocabulary) >= t.shorthand_tokens
        found = self._bodies.find(toks)
        found += unclaimed_places(self._place_index.find(toks), found)
        hits = [self._context.read(hit, words, shorthand) for hit in found]
        demanded = demanded_positions(words, full_stops, self._demand)
        if demanded:
            hits = [as_demanded(h, words, demanded, self._demand, t.landmark_factor) for h in hits]
        lex = self._lexicon
        hits = as_writer(hits, words, lex.introductions, lex.documents, t.landmark_factor)
        hits = as_persons(
            hits, self._lexicon.persons, self._lexicon.stopwords, t.landmark_factor, t.person_least
        )
        factor = {Role.SENT: t.sent_factor, Role.VISITED: t.visited_factor}
        factor |= {Role.VISITED_BUT: t.visited_but_factor, Role.REFUSED: 0.0}
        refused: set[int] = set()
        for i, role in roles(words, hits, self._said, ends).items():
            hit = hits[i]
            label = hit.label if role is Role.VISITED else f"{role.value}: {hit.label}"
            hits[i] = Hit(hit.phrase, hit.positions, hit.factor * factor[role], label)
            if role is Role.REFUSED:
                refused.update(slot for slot, _ in hit.phrase.hits)
        adjusted = hits
        scores = total(adjusted)
        for slot in refused:
            score, labels = scores.get(slot, (0.0, []))
            scores[slot] = (score * t.refused_factor, labels)
        moved = take_over(adjusted, scores, self._places, self._body_ids, t.taken_over_factor)
        strong = dict.fromkeys((self._body_ids.index(to) for _, to in moved), True)
        for slot in scores:
            parts = [h.factor for h in adjusted for s, w in h.phrase.hits if s == slot and w > 0]
            parts = [f for f in parts if f > 0]
            strong[slot] = (
                strong.get(slot, False) or len(parts) > 1 or (len(parts) == 1 and parts[0] >= 1.0)
            )
        who = frozenset(p for h in hits if h.label.startswith(WHO) for p in h.positions)
        return scores, strong, moved, who

    def _kind_example(self, toks: Sequence[Token]) -> str | None:
        """The kind officers gave a close example, if any."""
        found = self._kind_examples.nearest([t.word for t in toks], self._tuning.example_cutoff)
        return None if found is None else found[0]

    def _kind(self, toks: Sequence[Token], question: bool) -> str:
        """The kind the guide's rules give (`flows.kind_decision`), else the fallback."""
        marked = mark_numbers(toks, self._lexicon)
        if question:
            marked.append(Token(QUESTION_WORD, "?", False))
        evidence = {slot: score for slot, (score, _) in self._kinds.match(marked).items()}
        t = self._tuning
        slot = decide(evidence, self._kind_order, decisive=t.kind_decisive, minimum=t.kind_min)
        return FALLBACK_KIND if slot is None else self._kind_ids[slot]

    def _body_entries(self) -> Iterable[tuple[int, tuple[str, ...], float]]:
        """(slot, normalised phrase, weight) for every keyword of every tier and place."""
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
        yield from self._place_entries()

    def _place_entries(self) -> Iterable[tuple[int, tuple[str, ...], float]]:
        """(slot, normalised name, weight) for every name of every outside place."""
        for place in self.catalogue.outside_places:
            slot = self._body_ids.index(place.body)
            for name in place.names:
                yield slot, self._words(name), self._tuning.place_weight

    def _normalised(self, text: str) -> str:
        """A text as the learned layer reads it: the words mapped onto the vocabulary."""
        return " ".join(self._map(word).word for word in tokens(text, self._lexicon))

    def _words(self, phrase: str) -> tuple[str, ...]:
        """A keyword normalised like a report."""
        return tuple(tokens(phrase, self._lexicon))
