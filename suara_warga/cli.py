"""The `suara-warga` command: run the bot, chat in the terminal, classify texts."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from suara_warga.config import Config, ConfigError, load_config

log = logging.getLogger("suara_warga")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    # python-telegram-bot's opt-in for durations as timedelta (its future default).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "classify":
        from suara_warga.classify_command import run_classify

        return run_classify(args.text, sys.stdin, sys.stdout, args.catalogue)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"suara-warga: {exc}", file=sys.stderr)
        return 2
    if args.command == "chat" or config.telegram.token is None:
        if args.command == "run":
            print(
                "No Telegram token configured (config.toml [telegram] token, or "
                "SUARA_WARGA_TELEGRAM__TOKEN): starting the terminal chat instead.\n"
            )
        return asyncio.run(_chat(config))
    return asyncio.run(_run(config))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="suara-warga",
        description="Suara Warga: a Telegram intake assistant for public-service complaints.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the Telegram bot (terminal chat without token)")
    chat = commands.add_parser("chat", help="the resident conversation in this terminal")
    for sub in (run, chat):
        sub.add_argument(
            "--config",
            type=Path,
            default=None,
            help="TOML config file (default: ./config.toml if present)",
        )
    classify = commands.add_parser("classify", help="route complaints (one per line) to OPDs")
    classify.add_argument("--text", default=None, help="classify this text instead of stdin")
    classify.add_argument("--catalogue", type=Path, default=None, help="another catalogue")
    return parser


async def _run(config: Config) -> int:
    from bot.runner import run_bot

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_bot(config, stop)
    return 0


async def _chat(config: Config) -> int:
    from bot.engine import Engine, learn_from_storage
    from bot.terminal import OFFICER_CHAT, TerminalChat
    from flows.office import Office
    from flows.roles import Roles
    from storage import open_store

    store = await open_store(config.storage.path, synchronous=config.storage.synchronous)
    try:
        rules = config.rules()
        await learn_from_storage(store, rules)
        engine = Engine(store, rules, Office(roles=Roles(central_chat=OFFICER_CHAT)))
        await TerminalChat(engine, store, sys.stdout).run(sys.stdin.readline)
    finally:
        await store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
