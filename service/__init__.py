"""The application layer: units of work between the Telegram shell and the pure core.

Telegram-free: it takes flow events (from `bot/`, the terminal or the web), runs
`flows/` against `storage/` in one transaction each, and leaves what must be sent in the
outbox. It imports neither `telegram` nor a database driver.
"""
