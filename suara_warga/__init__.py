"""Suara Warga: a Telegram intake assistant for public-service complaints."""

__all__ = ["__version__"]
__version__ = "0.1.0"
