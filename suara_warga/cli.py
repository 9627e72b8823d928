"""The `suara-warga` command: run the bot, chat in the terminal, classify texts."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from flows.city_pack import DEFAULT_PACK
from suara_warga.config import Config, ConfigError, load_config
from suara_warga.logs import setup_logging

log = logging.getLogger("suara_warga")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    # python-telegram-bot's opt-in for durations as timedelta (its future default).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    setup_logging(args.verbose, _secrets_in_environment())
    if args.command == "backup":
        from suara_warga.backup_command import run_backup

        return run_backup(args.config, args.target)
    if args.command == "restore":
        from suara_warga.backup_command import run_restore

        return run_restore(args.config, args.source, yes=args.yes)
    if args.command == "classify":
        from suara_warga.classify_command import run_classify

        return run_classify(args.text, sys.stdin, sys.stdout, args.catalogue, args.city)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"suara-warga: {exc}", file=sys.stderr)
        return 2
    if config.telegram.token is not None:
        setup_logging(args.verbose, [config.telegram.token.get_secret_value()])
    if args.command == "web":
        from suara_warga.web_command import serve_web

        return asyncio.run(serve_web(config))
    if args.command == "run" and args.webhook and config.telegram.token is None:
        print("suara-warga: webhook mode needs a Telegram token", file=sys.stderr)
        return 2
    if args.command == "chat" or config.telegram.token is None:
        if args.command == "run":
            print(
                "No Telegram token configured (config.toml [telegram] token, or "
                "SUARA_WARGA_TELEGRAM__TOKEN): starting the terminal chat instead.\n"
            )
        return asyncio.run(chat(config, sys.stdin.readline, sys.stdout))
    return asyncio.run(_run(config, webhook=args.webhook))


def _secrets_in_environment() -> list[str]:
    """A token given in the environment, redacted from logs even before config loads."""
    token = os.environ.get("SUARA_WARGA_TELEGRAM__TOKEN", "")
    return [token] if token else []


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="suara-warga",
        description="Suara Warga: a Telegram intake assistant for public-service complaints.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the Telegram bot (terminal chat without token)")
    chat = commands.add_parser("chat", help="the resident conversation in this terminal")
    board = commands.add_parser("web", help="serve the public board alone, read-only ([web])")
    for sub in (run, chat, board):
        sub.add_argument(
            "--config",
            type=Path,
            default=None,
            help="TOML config file (default: ./config.toml if present)",
        )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook ([webhook] in the config) instead of long polling",
    )
    backup = commands.add_parser("backup", help="consistent copy of the database, while it runs")
    backup.add_argument("target", type=Path, help="the new backup file (must not exist)")
    restore = commands.add_parser("restore", help="put a backup in place (stop the bot first)")
    restore.add_argument("source", type=Path, help="a file made by `suara-warga backup`")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    for sub in (backup, restore):
        sub.add_argument("--config", type=Path, default=None, help="TOML config file")
    classify = commands.add_parser("classify", help="route complaints (one per line) to OPDs")
    classify.add_argument("--text", default=None, help="classify this text instead of stdin")
    classify.add_argument("--catalogue", type=Path, default=None, help="another catalogue")
    classify.add_argument(
        "--city",
        default=DEFAULT_PACK,
        help=f"city pack: a built-in name or a folder ({DEFAULT_PACK})",
    )
    return parser


async def _run(config: Config, *, webhook: bool) -> int:
    from suara_warga.launch import run_bot

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await run_bot(config, stop, webhook=webhook)
    except ValueError as exc:
        print(f"suara-warga: {exc}", file=sys.stderr)
        return 2
    return 0


async def chat(config: Config, read_line: Callable[[], str], out: TextIO) -> int:
    """The terminal conversation on the configured database: the resident, and with
    `:petugas` the central officer (see `service.terminal`)."""
    from flows.roles import Roles
    from service.assembly import open_services
    from service.terminal import OFFICER_CHAT, TERMINAL_OFFICER, TerminalChat, TerminalClock
    from suara_warga.launch import board_settings, database_of, office_of
    from suara_warga.web_command import beside_board
    from web.site import Site

    roles = Roles(central_chat=OFFICER_CHAT, central_officers=frozenset({TERMINAL_OFFICER}))
    clock = TerminalClock()
    office = replace(office_of(config, clock()), roles=roles)
    async with open_services(database_of(config), config.rules(), office, clock=clock) as app:
        terminal = TerminalChat(
            app.engine, app.store, out, desk=app.desk, housekeeping=app.housekeeping, clock=clock
        )
        board = board_settings(config)  # what is filed here shows on the board alongside
        site = None if board is None else Site(
            app.store, app.rules, app.office, settings=board, clock=clock,
            filer=app.engine.file_for_partner,
        )  # fmt: skip
        await beside_board(site, terminal.run(read_line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
