"""Labels of the reply keyboards a resident types with: `Keyboard.CONTACT` (the button
that shares her phone number, and the one that skips the question) and
`Keyboard.LOCATION` (the one-tap location button, and the list of places)."""

from __future__ import annotations

SHARE_CONTACT_LABEL = "📱 Bagikan nomor saya"
SKIP_LABEL = "Lewati"
SHARE_LOCATION_LABEL = "📍 Kirim lokasi saya"
PICK_PLACE_LABEL = "🗺 Pilih dari daftar"
