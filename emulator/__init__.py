"""A Telegram Bot API emulator for end-to-end tests of the bot.

Start `BotApiEmulator` (``async with BotApiEmulator() as emu``), point PTB at ``emu.base_url``
and ``emu.base_file_url``, drive users with ``emu.send_text(...)``/``emu.press(...)`` and
observe the bot with ``emu.sent(...)``/``await emu.wait_for(...)``.

Modules: `world` (state), `driver` (test-driver API), `methods` (Bot API methods),
`server` (HTTP server, call log), `faults` (injected failures and Telegram's flood limits),
`html_check` (Telegram-HTML and other checks), `webhook` (delivery to bot workers).
Used by the tests and the benchmarks alike; never by the product.
"""

from .driver import Driver
from .faults import Chaos, Fault, Faults, FloodControl, FloodLimits
from .html_check import HtmlError, ParsedText, parse_html
from .methods import BotApiMethods, Params, Upload
from .server import DEFAULT_TOKEN, BotApiEmulator, Received
from .webhook import RETRY_SECONDS, SECRET_HEADER, WebhookDelivery, chat_of
from .world import JSON, ApiError, Chat, StoredFile, User, World, bad_request

__all__ = [
    "DEFAULT_TOKEN",
    "JSON",
    "RETRY_SECONDS",
    "SECRET_HEADER",
    "ApiError",
    "BotApiEmulator",
    "BotApiMethods",
    "Chaos",
    "Chat",
    "Driver",
    "Fault",
    "Faults",
    "FloodControl",
    "FloodLimits",
    "HtmlError",
    "Params",
    "ParsedText",
    "Received",
    "StoredFile",
    "Upload",
    "User",
    "WebhookDelivery",
    "World",
    "bad_request",
    "chat_of",
    "parse_html",
]
