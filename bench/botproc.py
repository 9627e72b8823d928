"""The real bot in a process of its own, as `suara-warga run --config FILE` runs it.

    python -m bench.botproc CONFIG.toml [--webhook] [--profile OUT.txt] [--experiment NAME]

Runs `suara_warga.launch.run_bot` with production logging until SIGTERM (``--webhook``: as
`suara-warga run --webhook`, serving [webhook] of the config). With ``--profile``,
pyinstrument (``pip install pyinstrument``, not a dependency) samples the whole process
and writes its call tree to OUT.txt at the stop.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

from bench.experiments import EXPERIMENTS, apply
from suara_warga.config import load_config
from suara_warga.launch import run_bot
from suara_warga.logs import setup_logging


async def run(config_file: Path, webhook: bool) -> None:
    """Run the bot until SIGTERM or SIGINT."""
    config = load_config(config_file)
    token = config.telegram.token
    setup_logging(False, [token.get_secret_value()] if token else [])
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await run_bot(config, stop, webhook=webhook)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.botproc", description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("--webhook", action="store_true", help="webhook mode, not polling")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile here")
    parser.add_argument("--experiment", choices=EXPERIMENTS, help="see bench.experiments")
    args = parser.parse_args()
    apply(args.experiment)
    if args.profile is None:
        asyncio.run(run(args.config, args.webhook))
        return
    from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    try:
        asyncio.run(run(args.config, args.webhook))
    finally:
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=True, show_all=False))
        if profiler.last_session is not None:  # to render again (`pyinstrument --load`)
            profiler.last_session.save(str(args.profile.with_suffix(".pyisession")))


if __name__ == "__main__":
    main()
