"""Run the emulator standalone: ``python -m emulator --port 8081 --token 123:ABC``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal

from .server import DEFAULT_TOKEN, BotApiEmulator
from .world import JSON


async def serve(host: str, port: int, token: str, verbose: bool) -> None:
    """Serve until Ctrl-C or SIGTERM, printing the base URLs and, if `verbose`, each call."""
    async with BotApiEmulator(token, host=host, port=port) as emu:
        if verbose:

            def log(method: str, params: JSON) -> None:
                print(f"{method} {json.dumps(params, ensure_ascii=False)}", flush=True)

            emu.on_call = log
        print(f"Bot API emulator: base_url={emu.base_url} base_file_url={emu.base_file_url}")
        print(f"token={token}  (Ctrl-C to stop)", flush=True)
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()
    print("stopped", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every API call")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.token, args.verbose))


if __name__ == "__main__":
    main()
