"""The public board: read-only pages, open data and Open311 over aiohttp."""
