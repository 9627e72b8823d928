"""What the bot tells a person about the data it keeps (`/dataku`), in Indonesian."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from flows.evidence import Evidence
from flows.evidence_texts import my_evidence
from flows.report import Report
from flows.state import Draft, KaderProfile
from flows.texts import PRIVACY_LABELS, esc, local_time


def my_data(
    name: str,
    username: str | None,
    kader: KaderProfile | None,
    registered_kader: str | None,
    draft: Draft | None,
    reports: Sequence[Report],
    supported: Sequence[str],
    tz: ZoneInfo,
    evidence: Mapping[int, Sequence[Evidence]] | None = None,
) -> str:
    """Everything stored about one person, plainly (`evidence`: by report id)."""
    lines = ["<b>Data Anda yang disimpan Suara Warga</b>"]
    lines.append(f"Akun Telegram: {esc(name)}" + (f" (@{esc(username)})" if username else ""))
    if kader is not None:
        phone = f", HP {esc(kader.phone)}" if kader.phone else ""
        lines.append(f"Profil kader: {esc(kader.name)}{phone}")
    if registered_kader:
        lines.append(f"Terdaftar sebagai kader: {esc(registered_kader)}")
    if draft is not None:
        lines.append("Draf laporan yang belum dikirim: ada (hapus dengan /batal)")
        if kept := my_evidence(draft.evidence):
            lines.append(kept)
    if reports:
        lines.append(f"\n<b>Laporan Anda ({len(reports)})</b>")
        for report in reports:
            phone = f", HP {esc(report.reporter.phone)}" if report.reporter.phone else ""
            who = f"nama {esc(report.reporter.name)}{phone}"
            if report.neighbour:
                who += f"; tetangga {esc(report.neighbour.name)}"
                if report.neighbour.phone:
                    who += f" ({esc(report.neighbour.phone)})"
            lines.append(
                f"• {report.code} ({local_time(report.filed_at, tz)}, privasi "
                f"{PRIVACY_LABELS[report.privacy]}): {who}"
            )
            if kept := my_evidence((evidence or {}).get(report.id, ())):
                lines.append(kept)
    if supported:
        lines.append("\nLaporan yang Anda dukung: " + ", ".join(supported))
    lines.append(
        "\nData ini hanya dipakai untuk menangani laporan Anda (UU 27/2022 tentang "
        "Pelindungan Data Pribadi). Hapus data pribadi Anda dengan /hapusdata."
    )
    return "\n".join(lines)
