"""Texts of honest backpressure: the resident's busy notice and the officers' digest of
waiting reports (`flows.backlog`). Plain, polite Indonesian."""

from __future__ import annotations

from flows.prompts import body_label
from flows.public_view import masked_public_text
from flows.report import Report
from flows.rules import Rules
from flows.texts import esc

SHORT_LINE = 70
"""Characters of a report's public-safe text shown in a digest line."""


def busy_notice() -> str:
    """Told once when a resident's answers will be slow."""
    return (
        "⏳ Mohon maaf, saat ini banyak warga yang melapor sehingga balasan kami agak "
        "lambat. Laporan dan pesan Anda sudah kami simpan dengan aman; semua balasan "
        "akan tetap datang. Terima kasih atas kesabaran Anda."
    )


def short_line(report: Report) -> str:
    """A report's story for a digest, safe wherever the digest goes: never a *rahasia*
    story, never the reporter's (or her neighbour's) name or numbers."""
    if report.privacy.confidential:
        return "🔒 rahasia"
    text = report.public_text or masked_public_text(report, report.description)
    text = " ".join(text.split())
    if len(text) > SHORT_LINE:
        text = text[: SHORT_LINE - 1].rstrip() + "…"
    return esc(text)


def digest_line(report: Report, rules: Rules) -> str:
    """One waiting report: its code, OPD, kelurahan and a short safe line."""
    body = body_label(report.body, rules)
    return (
        f"• <b>{report.code}</b> · {esc(body)} · Kel. {esc(report.place.kelurahan)}\n"
        f"   {short_line(report)}"
    )


def card_digest_head(count: int) -> str:
    """The head of the digest that replaces the `count` cards waiting for a busy group;
    its lines (`digest_line`) follow, one per report."""
    return (
        f"📋 <b>Ringkasan {count} laporan baru</b>\n"
        "Banyak laporan masuk sekaligus, jadi kartunya kami ringkas di sini agar tidak "
        "antre lama. Semua laporan tersimpan. Untuk menangani satu laporan, kirim "
        "<code>/cari KODE</code> dan kartunya akan muncul di sini.\n"
    )
