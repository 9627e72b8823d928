"""Time to file: residents walk the typical report against the bot with Telegram's
pace (1 message a second to one person), and what one report costs in messages.

The typical report: the resident tells her story (naming the kelurahan), confirms the
OPD the bot names, confirms the place, chooses her privacy, skips the phone number and
sends. Each resident acts as soon as the bot's answer is shown (a new message, or the
pressed message edited), so the time is the bot's and Telegram's pace, not reading time.
Run alone with ``python -m bench.filing [residents] [before]``; `make bench` includes it.
"""

from __future__ import annotations

import asyncio
import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench.report import Row
from emulator import JSON, BotApiEmulator, User
from flows.places import load_places
from suara_warga.config import Config
from suara_warga.launch import run_bot

ADMIN_CHAT = -100777
SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendVoice"})
MESSAGES_TARGET = 8
ACTIONS_TARGET = 8
Act = tuple[str, str, str]
"""(send | tap | contact, text or button label, text the bot's answer shows)."""


def story(kelurahan: str) -> str:
    """A resident's story naming its kelurahan (each resident a different one, so no
    report is like another and none is offered as similar)."""
    return (
        f"Jalan rusak parah berlubang di depan SD dekat kantor kelurahan {kelurahan}, sudah 3 bulan"
    )


def typical_walk(kecamatan: str, kelurahan: str) -> tuple[Act, ...]:
    """The typical report, as a resident walks it."""
    return (
        ("send", "/lapor", "Ceritakan"),
        ("send", story(kelurahan), "Sudah saya catat"),
        ("tap", "Lanjut", "Sepertinya ini urusan"),
        ("tap", "Ya, benar", f"Kel. {kelurahan}"),
        ("tap", "Ya, benar", "identitas pelapor"),
        ("tap", "Biasa", "nomor HP"),
        ("send", "Lewati", "Ringkasan"),
        ("tap", "Kirim laporan", "Kode laporan"),
    )


def walk_before(kecamatan: str, kelurahan: str) -> tuple[Act, ...]:
    """The same report as it was walked before the short conversation (issue #17)."""
    return (
        ("send", "/lapor", "untuk siapa"),
        ("tap", "Untuk saya sendiri", "Ceritakan"),
        ("send", story(kelurahan), "Sudah saya catat"),
        ("tap", "Lanjut", "Sepertinya ini urusan"),
        ("tap", "Ya, benar", "kecamatan"),
        ("tap", kecamatan, "kelurahan"),
        ("tap", kelurahan, "detail lokasi"),
        ("tap", "Lanjut", "identitas pelapor"),
        ("tap", "Biasa", "nomor HP"),
        ("send", "Lewati", "Ringkasan"),
        ("tap", "Kirim laporan", "Kode laporan"),
    )


Walk = Callable[[str, str], tuple[Act, ...]]


@dataclass(frozen=True)
class Filed:
    """One resident's report: seconds from /lapor to its code, and its costs."""

    seconds: float
    messages: int
    edits: int
    actions: int


def shown(emu: BotApiEmulator, user: User, seen: int, pressed: JSON | None, text: str) -> bool:
    """The bot shows `text`: in a message sent after the first `seen`, or in the pressed
    message, edited."""
    sent = emu.sent(user)
    if any(text in (m.get("text") or m.get("caption") or "") for m in sent[seen:]):
        return True
    if pressed is None:
        return False
    now = emu.chat(user).messages[pressed["message_id"]]
    return now != pressed and text in now.get("text", "")


async def file_one(emu: BotApiEmulator, user: User, walk: tuple[Act, ...]) -> Filed:
    """Walk the report as one resident; fails when an answer does not come in 30 s."""
    start = time.perf_counter()
    for action, what, expect in walk:
        seen, pressed = len(emu.sent(user)), None
        if action == "send":
            emu.send_text(user, what)
        else:
            for message in reversed(emu.sent(user)):
                data = [d for label, d in emu.buttons(message) if what in label]
                if data:
                    pressed = copy.deepcopy(message)
                    emu.press(user, message, data[0])
                    break
            else:
                raise AssertionError(f"no button {what!r}:\n{emu.dump(user)}")
        try:
            await emu.wait_until(
                lambda: shown(emu, user, seen, pressed, expect),  # noqa: B023 - awaited here
                timeout=30,
            )
        except AssertionError:
            raise AssertionError(f"{expect!r} not shown:\n{emu.dump(user)}") from None
    seconds = time.perf_counter() - start
    mine = [r for r in emu.received if r.chat_id == user.id]
    return Filed(
        seconds,
        messages=sum(1 for r in mine if r.method in SENDS),
        edits=sum(1 for r in mine if r.method.startswith("edit")),
        actions=len(walk),
    )


async def measure(residents: int, workdir: Path, walk: Walk = typical_walk) -> list[Filed]:
    """`residents` file at once against a fresh bot with the default sender limits."""
    async with BotApiEmulator() as emu:
        emu.group(ADMIN_CHAT, "Petugas")
        config = Config(
            telegram={
                "token": emu.token,
                "base_url": emu.base_url,
                "base_file_url": emu.base_file_url,
                "admin_chat_id": ADMIN_CHAT,
                "poll_timeout": 2,
            },
            storage={"path": str(workdir / "filing.sqlite3")},
            web={"enabled": False},
        )
        stop = asyncio.Event()
        task = asyncio.create_task(run_bot(config, stop))
        await emu.wait_until(lambda: any(m == "setMyCommands" for m, _ in emu.calls), 30)
        try:
            places = [(k.name, kel) for k in load_places().kecamatan for kel in k.kelurahan]
            users = [emu.user(5_000_001 + n, f"Warga {n}") for n in range(residents)]
            walks = [walk(*places[n % len(places)]) for n in range(residents)]
            return list(await asyncio.gather(*map(partial(file_one, emu), users, walks)))
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


def rows(filed: list[Filed]) -> list[Row]:
    """The figure: median time to file, and the costs of one report."""
    median = statistics.median(f.seconds for f in filed)
    messages = max(f.messages for f in filed)
    actions = max(f.actions for f in filed)
    edits = max(f.edits for f in filed)
    return [
        Row(
            f"Time to file the typical report, {len(filed)} residents at once, "
            "Telegram's pace (1 message/s to a person)",
            f"median {median:.1f} s (slowest {max(f.seconds for f in filed):.1f} s)",
        ),
        Row(
            "Cost of the typical report to the resident",
            f"{messages} new bot messages (+{edits} edits of pressed messages), "
            f"{actions} resident actions",
            f"<= {MESSAGES_TARGET} messages, <= {ACTIONS_TARGET} actions",
            messages <= MESSAGES_TARGET and actions <= ACTIONS_TARGET,
        ),
    ]


async def run_filing(residents: int = 20, walk: Walk = typical_walk) -> list[Row]:
    """The figure's rows."""
    with tempfile.TemporaryDirectory() as folder:
        return rows(await measure(residents, Path(folder), walk))


def main() -> None:
    residents = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    walk = walk_before if sys.argv[2:] == ["before"] else typical_walk
    for row in asyncio.run(run_filing(residents, walk)):
        print(f"{row.figure}: {row.measured} ({row.target}: {row.result})")


if __name__ == "__main__":
    main()
