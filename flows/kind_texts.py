"""What officers read when they correct a report's kind of problem (Indonesian)."""

from __future__ import annotations


def kind_unknown() -> str:
    """A kind button that names no kind of this city (forged, or the catalogue changed)."""
    return "Jenis masalah tidak dikenal."


def kind_already(label: str) -> str:
    """The report already has this kind (a second tap, or an old keyboard)."""
    return f"Jenis masalah laporan ini sudah: {label}."


def kind_changed_note(old: str, new: str) -> str:
    """The internal history line of a kind correction."""
    return f"jenis: {old} → {new}"


KIND_MENU_LABEL = "🏷 Ubah jenis"
"""The card button that opens the list of kinds."""
