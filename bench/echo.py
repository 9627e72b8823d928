"""A bare python-telegram-bot echo bot: the yardstick for the intake throughput.

    python -m bench.echo BASE_URL BASE_FILE_URL TOKEN [--experiment NAME]

One reply per text message, no storage, PTB's own `Application.run_polling` with its
defaults (one update at a time); stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import logging

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bench.experiments import EXPERIMENTS, apply


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.echo", description=__doc__)
    parser.add_argument("base_url")
    parser.add_argument("base_file_url")
    parser.add_argument("token")
    parser.add_argument("--experiment", choices=EXPERIMENTS, help="see bench.experiments")
    args = parser.parse_args()
    apply(args.experiment)
    logging.basicConfig(level=logging.WARNING)
    app = (
        Application.builder()
        .token(args.token)
        .base_url(args.base_url)
        .base_file_url(args.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0.0, timeout=10, allowed_updates=["message"])


if __name__ == "__main__":
    main()
