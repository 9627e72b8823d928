"""Child processes of the benchmark: start, talk to, measure (CPU, RSS) and stop; and
the PostgreSQL server's processes working for a database, measured like a child."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, Protocol

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
_TICKS = os.sysconf("SC_CLK_TCK")


class Child:
    """A ``python -m module`` child in the project root; stderr goes to `log`."""

    def __init__(self, proc: asyncio.subprocess.Process, name: str, log: Path) -> None:
        self.proc = proc
        self.name = name
        self.log = log

    @classmethod
    async def start(cls, module: str, *args: str, log: Path) -> Child:
        """Start the module; its stdout is a pipe for `ready`."""
        with log.open("ab") as err:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                module,
                *args,
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
            )
        return cls(proc, module, log)

    @property
    def pid(self) -> int:
        return self.proc.pid

    async def ready(self, timeout: float = 30.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The JSON line the child prints once it is up."""
        assert self.proc.stdout is not None
        try:
            line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
        except TimeoutError:
            line = b""
        if not line:
            raise RuntimeError(f"{self.name} did not start; see {self.log}:\n{self.tail()}")
        result: dict[str, Any] = json.loads(line)
        return result

    def tail(self, lines: int = 15) -> str:
        """The end of the child's log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """User plus system CPU time used so far (all threads)."""
        return _cpu(Path(f"/proc/{self.pid}/stat"))

    def main_thread_seconds(self) -> float:
        """CPU time of the main thread (the event loop) alone."""
        return _cpu(Path(f"/proc/{self.pid}/task/{self.pid}/stat"))

    def memory_mb(self) -> tuple[float, float]:
        """(current RSS, peak RSS) in MB (10^6 bytes)."""
        values: dict[str, float] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024 / 1e6
        return values["VmRSS"], values["VmHWM"]

    async def stop(self, timeout: float = 20.0) -> int | None:  # noqa: ASYNC109
        """SIGTERM (a graceful stop), then SIGKILL after `timeout`; the exit code."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode


class Control:
    """The emulator process's control API (JSON over HTTP on loopback)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3600))

    async def call(self, path: str, **payload: Any) -> dict[str, Any]:
        """POST `payload` to `path`; the JSON answer."""
        async with self._session.post(f"{self.url}/{path}", json=payload) as response:
            result: dict[str, Any] = await response.json()
            if response.status != 200:
                raise RuntimeError(f"emulator control {path}: {result}")
            return result

    async def close(self) -> None:
        await self._session.close()


def _cpu(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _busy_seconds() -> float:
    """CPU time of the whole machine so far (every core, every process)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _TICKS


class Measured(Protocol):
    """What `CpuMeter` reads: a `Child`, or `PostgresProcesses`."""

    name: str

    def cpu_seconds(self) -> float: ...

    def main_thread_seconds(self) -> float: ...


class PostgresProcesses:
    """The local PostgreSQL server's processes except other databases' client backends:
    the backends of `database`, the postmaster and the server's helpers (WAL writer, ...).
    CPU of processes gone since the last reading is not counted."""

    name = "postgres"

    def __init__(self, database: str) -> None:
        self.database = database

    def cpu_seconds(self) -> float:
        total = 0.0
        for folder in Path("/proc").iterdir():
            if not folder.name.isdigit():
                continue
            try:
                if (folder / "comm").read_text().strip() != "postgres":
                    continue
                title = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if "(" in title and f" {self.database} " not in title:
                    continue  # a client of another database (someone's tests)
                total += _cpu(folder / "stat")
            except (OSError, UnicodeDecodeError):  # gone meanwhile
                continue
        return total

    def main_thread_seconds(self) -> float:
        return self.cpu_seconds()


class CpuMeter:
    """CPU used by some children between `start` and `stop`, and by everything else on
    the machine (other than this process), in seconds and as shares of one core."""

    def __init__(self, *children: Measured) -> None:
        self.children = children
        self._before: list[float] = []
        self._machine = self._own = self._started = 0.0
        self._main: list[float] = []
        self.seconds: dict[str, float] = {}
        self.main_thread: dict[str, float] = {}  # seconds of each child's event loop
        self.shares: dict[str, float] = {}

    def start(self) -> None:
        self._before = [child.cpu_seconds() for child in self.children]
        self._main = [child.main_thread_seconds() for child in self.children]
        self._machine, self._own = _busy_seconds(), sum(os.times()[:2])
        self._started = asyncio.get_running_loop().time()

    def stop(self) -> dict[str, float]:
        """{child name or "others": CPU seconds / wall seconds} since `start`."""
        wall = max(asyncio.get_running_loop().time() - self._started, 1e-9)
        self.seconds = {
            child.name: max(child.cpu_seconds() - before, 0.0)
            for child, before in zip(self.children, self._before, strict=True)
        }
        self.main_thread = {
            child.name: max(child.main_thread_seconds() - before, 0.0)
            for child, before in zip(self.children, self._main, strict=True)
        }
        own = sum(os.times()[:2]) - self._own
        others = _busy_seconds() - self._machine - own - sum(self.seconds.values())
        self.seconds["others"] = max(others, 0.0)
        self.shares = {name: used / wall for name, used in self.seconds.items()}
        return self.shares
