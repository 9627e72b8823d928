"""Labels of the reply keyboard a resident types with (`Keyboard.CONTACT`): the
button that shares her phone number, and the one that skips the question."""

from __future__ import annotations

SHARE_CONTACT_LABEL = "📱 Bagikan nomor saya"
SKIP_LABEL = "Lewati"
