"""Officers' lessons reach the learned model when a worker retrains: a made-up word
corrected to one office is then routed there by the model; the retrain runs off the
event loop while the old model answers; erased lessons leave the model; workers that
read the same lessons converge on the same model; a failed training keeps the old one."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from flows.city_pack import load_city_pack
from flows.learned_model import LabelledText, LearnedModel, train
from flows.rules import Rules
from service.learning import Learning
from service.retraining import Retraining, RetrainPolicy, keep_retraining
from storage import Store, open_store
from suara_warga.model_training import train_apart
from tests.factories import NOW, SITI, make_report
from tests.postgres_cluster import BACKENDS

OFFICE = "bapenda"
"""Where officers send complaints about the made-up creature (nothing else does)."""
TAUGHT = (
    "ada krenyot di gang kami",
    "krenyot masuk ke rumah warga tiap malam",
    "tolong krenyot makin banyak di kampung",
    "krenyot berkeliaran dekat masjid",
    "warga resah krenyot muncul lagi",
)
"""Reports with a word found in neither the catalogue nor the pack's examples."""
ASKED = "krenyot lagi di dekat rumah kami, tolong ditangani"


@pytest.fixture(params=BACKENDS)
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the workers' stores point: one SQLite file or one PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


def city_rules() -> Rules:
    """A worker's rules: the Cilegon pack, with its learned layer."""
    return Rules.for_city(load_city_pack())


def best(rules: Rules, text: str) -> str:
    return rules.classifier.classify(text).candidates[0].body_id


async def teach(store: Store, texts: Sequence[str] = TAUGHT, *, filed: bool = False) -> None:
    """Officers re-route each text to `OFFICE` (filed: as reports of Siti's)."""
    async with store.transaction() as tx:
        for number, text in enumerate(texts):
            report_id = None
            if filed:
                code = f"SW-KRN{number}-Q9XA"
                report = await tx.insert_report(make_report(code, description=text))
                report_id = report.id
            await tx.add_routing_example(text, OFFICE, NOW, report_id)


async def test_a_made_up_word_corrected_to_an_office_teaches_the_model(tmp_path: Path) -> None:
    rules = city_rules()
    store = await open_store(str(tmp_path / "db.sqlite3"))
    try:
        assert best(rules, ASKED) != OFFICE
        await teach(store)
        retraining = Retraining(store, rules.classifier)
        pack_model = retraining.fingerprint
        assert await retraining.retrain()
        # Only the model learned it: this classifier's memory was never taught.
        answer = rules.classifier.classify(ASKED).candidates[0]
        assert answer.body_id == OFFICE
        assert "mirip laporan sebelumnya" in answer.matched
        assert retraining.fingerprint != pack_model
        async with store.transaction() as tx:
            assert retraining.version == await tx.learning_version()
        assert not await retraining.retrain()  # same lessons: nothing to train
    finally:
        await store.close()


async def test_the_event_loop_answers_while_the_model_trains(tmp_path: Path) -> None:
    rules = city_rules()
    store = await open_store(str(tmp_path / "db.sqlite3"))
    events: list[str] = []
    training, release = threading.Event(), threading.Event()

    def held_trainer(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> LearnedModel:
        """The bot's trainer (a child process), which starts once the test says so."""
        events.append("training")
        training.set()
        release.wait(120)
        model = train_apart(bodies, kinds, tmp_path / "cache", lessons=True)
        events.append("trained")
        return model

    try:
        await teach(store)
        learning = Learning(store, city_rules().classifier)
        retraining = Retraining(store, rules.classifier, held_trainer)
        retrain = asyncio.create_task(retraining.retrain())
        await asyncio.to_thread(training.wait, 120)
        # The loop still serves: the database, the officers' lessons, a routing answer
        # (from the old model, which knows nothing of the word).
        assert await learning.catch_up() == len(TAUGHT)
        assert best(rules, ASKED) != OFFICE
        events.append("answered")
        release.set()
        assert await retrain
        assert events == ["training", "answered", "trained"]
        assert best(rules, ASKED) == OFFICE
        assert [p.name.split("-")[1] for p in (tmp_path / "cache").iterdir()] == ["lessons"]
    finally:
        release.set()
        await store.close()


async def test_erased_lessons_leave_the_model_at_the_next_retrain(shared: str) -> None:
    rules = city_rules()
    store = await open_store(shared)
    try:
        retraining = Retraining(store, rules.classifier)
        pack_model = retraining.fingerprint
        await teach(store, filed=True)
        assert await retraining.retrain()
        assert best(rules, ASKED) == OFFICE
        taught_at = retraining.version
        async with store.transaction() as tx:
            await tx.erase_person(SITI.user_id, SITI.chat_id)
            assert await tx.learning_version() > taught_at  # the lessons changed
            assert await tx.lessons(0, await tx.learning_version()) == []
        assert await retraining.retrain()
        assert retraining.fingerprint == pack_model  # the pack's model again
        assert best(rules, ASKED) != OFFICE
    finally:
        await store.close()


async def test_two_workers_retraining_on_the_same_lessons_get_the_same_model(
    shared: str,
) -> None:
    first, second = city_rules(), city_rules()
    one, other = await open_store(shared), await open_store(shared)
    try:
        mine, theirs = Retraining(one, first.classifier), Retraining(other, second.classifier)
        await teach(one)
        assert await mine.retrain()
        assert await theirs.retrain()
        assert mine.fingerprint == theirs.fingerprint
        assert best(first, ASKED) == best(second, ASKED) == OFFICE
    finally:
        await one.close()
        await other.close()


async def test_a_failed_training_keeps_the_old_model(tmp_path: Path) -> None:
    rules = city_rules()
    store = await open_store(str(tmp_path / "db.sqlite3"))

    def crashing(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> LearnedModel:
        """A trainer whose child died: it gives no model."""
        raise RuntimeError("the training process died")

    try:
        await teach(store)
        failing = Retraining(store, rules.classifier, crashing)
        pack_model = failing.fingerprint
        with pytest.raises(RuntimeError):
            await failing.retrain()
        assert (failing.version, failing.fingerprint) == (0, pack_model)
        assert best(rules, ASKED) != OFFICE  # the old model answers
        assert await Retraining(store, rules.classifier, train).retrain()  # nothing lost
        assert best(rules, ASKED) == OFFICE
    finally:
        await store.close()


async def test_a_worker_retrains_at_start_and_after_enough_new_lessons(tmp_path: Path) -> None:
    rules = city_rules()
    store = await open_store(str(tmp_path / "db.sqlite3"))
    stop = asyncio.Event()
    retraining = Retraining(store, rules.classifier)
    policy = RetrainPolicy(after=len(TAUGHT), quiet=3600.0, check=0.01)

    pack_model = retraining.fingerprint
    try:
        await teach(store, TAUGHT[:2])  # stored before start: fewer than `after`
        worker = asyncio.create_task(keep_retraining(retraining, stop, policy))
        await asyncio.wait_for(retraining.swapped.wait(), 120)
        retraining.swapped.clear()
        assert retraining.version == 2
        at_start = retraining.fingerprint
        assert at_start != pack_model
        await teach(store)  # `after` more lessons
        await asyncio.wait_for(retraining.swapped.wait(), 120)
        assert retraining.version == 2 + len(TAUGHT)
        assert retraining.fingerprint != at_start
        assert best(rules, ASKED) == OFFICE
        stop.set()
        await worker
    finally:
        stop.set()
        await store.close()
