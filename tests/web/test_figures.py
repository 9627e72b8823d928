"""The board's figures are kept, and recomputed in the background once stale."""

from __future__ import annotations

from datetime import timedelta

from flows.deadlines import DeadlineRules, indonesian_holidays
from flows.report import NewReport, Privacy
from storage.base import Store
from tests.web.seed import NOW, RINA, SEEDED, WIB, place
from web.figures import FiguresCache, compute_figures

RULES = DeadlineRules()
HOLIDAYS = indonesian_holidays(range(2025, 2028))


async def file_one(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.insert_report(
            NewReport(
                code="SW-BBBB-0001", filed_at=NOW - timedelta(hours=1), reporter=RINA,
                description="Trotoar ambles di depan pasar.", privacy=Privacy.BIASA,
                place=place("Ciwedus", "Cilegon", located=False), body="dpupr",
            )
        )  # fmt: skip


async def test_figures_are_kept_then_refreshed_in_the_background(seeded: Store) -> None:
    cache = FiguresCache(ttl=timedelta(minutes=5))
    first = await cache.get(seeded, NOW, RULES, HOLIDAYS, WIB)
    await file_one(seeded)

    kept = await cache.get(seeded, NOW + timedelta(minutes=1), RULES, HOLIDAYS, WIB)
    stale = await cache.get(seeded, NOW + timedelta(minutes=6), RULES, HOLIDAYS, WIB)
    await cache.settled()
    fresh = await cache.get(seeded, NOW + timedelta(minutes=7), RULES, HOLIDAYS, WIB)

    assert first.city.received == len(SEEDED)
    assert kept is first and stale is first
    assert fresh.city.received == len(SEEDED) + 1
    await cache.close()


async def test_figures_read_page_by_page_are_the_same(any_store: Store) -> None:
    whole = await compute_figures(any_store, NOW, RULES, HOLIDAYS, WIB)
    paged = await compute_figures(any_store, NOW, RULES, HOLIDAYS, WIB, per_read=2)

    assert paged == whole and whole.city.received == len(SEEDED)
