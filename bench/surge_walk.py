"""The surge, inside the emulator process: residents arriving over a span of minutes,
each filing a whole report at a human pace, while officers work the cards in their
groups (issue #17's flood day). The bot runs in its own process(es); the bench
(`bench.surge`) drives this through the control API (`SURGE_ROUTES`).

* Residents: `file_report` with `think` seconds between steps, started at a random
  moment of `span`; every step's latency is timed as in `bench.residents`.
* Officers: one per group, every `officer_every` seconds: verifies the oldest card not
  yet handled, or, when only a digest lists a waiting report, asks for its card with
  `/cari KODE` (and verifies it once it comes).
* Afterwards (`surge_end`): what each chat received, read from the emulator's records:
  new bot messages per resident, duplicates, when each report first reached a group.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench.residents import LostReply, Resident, Script, Tally, file_report
from emulator import User

if TYPE_CHECKING:
    from bench.emulator import BenchEmulator

CODE = re.compile(r"SW-[0-9A-Z]{4}-[0-9A-Z]{4}")
SURGE_STEP_TIMEOUT = 300.0
"""A step's reply may wait long in a surge; only one that never comes is lost."""


@dataclass
class Officer:
    """An officer in one group, acting on cards and digests at a human pace."""

    emu: BenchEmulator
    user: User
    group: int
    every: float
    handled: set[str] = field(default_factory=set)
    asked: set[str] = field(default_factory=set)
    presses: int = 0
    searches: int = 0

    async def work(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.act()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.every)

    def act(self) -> None:
        """Verify the oldest card not handled yet; else ask for a digested report's card."""
        listed: list[str] = []
        for message in self.emu.sent(self.group):
            text = str(message.get("text") or "")
            card = re.match(r"\S*\s*Laporan (SW-[0-9A-Z]{4}-[0-9A-Z]{4})", text)
            if card and card.group(1) not in self.handled:
                data = [d for label, d in self.emu.buttons(message) if "Verifikasi" in label]
                self.handled.add(card.group(1))
                if data:
                    self.emu.press(self.user, message, data[0], strict=False)
                    self.presses += 1
                    return
            elif "/cari KODE" in text:
                listed += CODE.findall(text)
        waiting = [code for code in listed if code not in self.asked and code not in self.handled]
        if waiting:
            self.asked.add(waiting[0])
            self.emu.send_text(self.user, f"/cari {waiting[0]}", chat=self.group)
            self.searches += 1


@dataclass
class Surge:
    """One surge run: its residents' tally and its officers."""

    tally: Tally
    users: list[User]
    officers: list[Officer]
    stop: asyncio.Event
    tasks: list[asyncio.Task[None]]
    filed: dict[int, tuple[float, str]] = field(default_factory=dict)  # user -> (at, code)


async def _resident(
    emu: BenchEmulator, user: User, number: int, a: dict[str, Any], script: Script, run: Surge
) -> None:
    rng = random.Random(number * 7919 + 17)  # noqa: S311 - a simulation
    loop = asyncio.get_running_loop()
    resident = Resident(emu, user, run.tally, float(a["think"]), timeout=SURGE_STEP_TIMEOUT)
    resident.next_at = loop.time() + rng.uniform(0, float(a["span"]))
    try:
        await file_report(resident, rng, script)
    except LostReply as exc:
        run.tally.lost += 1
        run.tally.why.append(str(exc))
        return
    for message in reversed(emu.sent(user)):
        found = CODE.search(str(message.get("text") or ""))
        if found and "Kode laporan" in str(message.get("text")):
            run.filed[user.id] = (time.perf_counter(), found.group())
            return


async def _surge(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    """Run the residents (first_user, residents, span, think) with officers in `groups`
    (officer ids from first_officer, one action every officer_every seconds); returns
    when every resident is done, officers keep working until `surge_end`."""
    users = emu.users(int(a["first_user"]), int(a["residents"]))
    stop = asyncio.Event()
    every = float(a["officer_every"])
    first = int(a["first_officer"])
    officers = [
        Officer(emu, emu.user(first + n, f"Petugas {n}"), int(group), every)
        for n, group in enumerate(a["groups"])
    ]
    run = Surge(Tally(), users, officers, stop, [])
    run.tasks = [asyncio.create_task(o.work(stop)) for o in officers]
    emu.surge = run
    started = time.perf_counter()
    await asyncio.gather(*(_resident(emu, u, n, a, script, run) for n, u in enumerate(users)))
    return {
        "seconds": time.perf_counter() - started,
        "updates": run.tally.updates,
        "lost": run.tally.lost,
        "why": run.tally.why[:5],
        "filed": len(run.filed),
    }


async def _surge_end(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    """Stop the officers; what arrived where (see the module docstring)."""
    run = emu.surge
    if run is None:
        raise RuntimeError("no surge ran")
    run.stop.set()
    await asyncio.gather(*run.tasks)
    groups = [o.group for o in run.officers]
    reached: dict[str, float] = {}
    for at, chat, text in emu.shown:
        if chat in groups:
            for code in CODE.findall(text):
                reached.setdefault(code, at)
    delays = [reached[code] - at for at, code in run.filed.values() if code in reached]
    per_resident = [len(emu.sent(u)) for u in run.users if u.id in run.filed]
    duplicated = 0
    for user in run.users:
        texts = [str(m.get("text") or m.get("caption") or "") for m in emu.sent(user)]
        duplicated += sum(1 for i in range(1, len(texts)) if texts[i] == texts[i - 1])
    sends = emu.sends()
    return {
        "latencies": run.tally.latencies,
        "filed_codes": sorted(code for _, code in run.filed.values()),
        "not_reached": sum(1 for _, code in run.filed.values() if code not in reached),
        "reach_delays": delays,
        "last_reached": max(reached.values(), default=0.0) - max(
            (at for at, _ in run.filed.values()), default=0.0
        ),
        "new_messages": per_resident,
        "duplicated": duplicated,
        "sends_ok": sum(1 for r in sends if r.outcome == "ok"),
        "new_sends_ok": sum(
            1 for r in sends if r.outcome == "ok" and r.method.lower().startswith("send")
        ),
        "flood_429": emu.faults.injected.get("flood", 0),
        "injected": dict(emu.faults.injected),
        "presses": sum(o.presses for o in run.officers),
        "searches": sum(o.searches for o in run.officers),
        "digests": sum(1 for _, chat, text in emu.shown if chat in groups and "/cari KODE" in text),
    }


async def _chaos(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    """Random faults on every Bot API call: shares of 500s, 429s, drops, slow calls."""
    emu.faults.randomly(
        error=float(a.get("error", 0)),
        too_many=float(a.get("too_many", 0)),
        drop=float(a.get("drop", 0)),
        slow=float(a.get("slow", 0)),
        seed=int(a.get("seed", 1)),
    )
    return {}


Handler = Callable[["BenchEmulator", Script, dict[str, Any]], Awaitable[dict[str, Any]]]
SURGE_ROUTES: dict[str, Handler] = {
    "chaos": _chaos,  # error, too_many, drop, slow: shares of calls; seed
    "surge": _surge,  # first_user, residents, span, think, groups, first_officer, officer_every
    "surge_end": _surge_end,  # the officers stop; what arrived where
}
