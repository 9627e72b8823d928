"""A report filed by a partner (a city web form, another app) through Open311's POST.

`partner_draft` checks the fields as the bot's conversation checks a resident's
answers (the same text clean-up and lengths, places, coordinates, phone numbers,
catalogue and classifier from `Rules`) and returns a finished `Draft`, which is filed
exactly as a resident's (`flows.filing.new_report`). A field that cannot be accepted
raises `PartnerError` with a message in Indonesian, naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from flows.errors import UnknownBodyError
from flows.report import Privacy
from flows.rules import Rules
from flows.state import Draft
from flows.validation import clean_name, clean_text, normalize_phone, valid_coordinates, words

KELURAHAN = "attribute[kelurahan]"
PRIVACY = "attribute[privasi]"


class PartnerError(ValueError):
    """A field of a partner's request that cannot be accepted."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def partner_draft(form: Mapping[str, str], rules: Rules, now: datetime) -> Draft:
    """The finished draft of a partner's request; PartnerError for a field it lacks."""
    body = _body(form.get("service_code", "").strip(), rules)
    description = _description(form.get("description", ""), rules)
    kecamatan, kelurahan = _place(form, rules)
    latitude, longitude = _coordinates(form.get("lat", ""), form.get("long", ""))
    address = clean_text(form.get("address_string", "")).replace("\n", " ")[: rules.max_address]
    return Draft(
        started_at=now,
        for_neighbour=False,
        reporter_name=_name(form),
        description=description,
        kecamatan=kecamatan,
        kelurahan=kelurahan,
        latitude=latitude,
        longitude=longitude,
        address=address or None,
        privacy=_privacy(form.get(PRIVACY, "")),
        phone=_phone(form.get("phone", "")),
        body=body,
        kind=rules.classifier.classify(description).kind,
        similar_checked=True,
    )


def _body(code: str, rules: Rules) -> str:
    if not code:
        raise PartnerError("service_code", "wajib diisi (lihat services.json).")
    try:
        body = rules.catalogue.body(code)
    except UnknownBodyError:
        raise PartnerError("service_code", "tidak dikenal (lihat services.json).") from None
    if body.outside:
        where = f" Silakan hubungi: {body.contact}" if body.contact else ""
        raise PartnerError("service_code", f"{body.name} bukan kewenangan kota.{where}")
    return body.id


def _description(raw: str, rules: Rules) -> str:
    text = clean_text(raw)
    if len(text) > rules.max_description:
        raise PartnerError(
            "description", f"terlalu panjang: paling banyak {rules.max_description} karakter."
        )
    if len(text) < rules.min_description or words(text) < 2:
        raise PartnerError("description", "terlalu singkat: ceritakan masalahnya.")
    return text


def _place(form: Mapping[str, str], rules: Rules) -> tuple[str, str]:
    places = rules.places
    given = form.get(KELURAHAN, "").strip()[:100]
    candidates = [given] if given else form.get("address_string", "")[:300].split(",")
    for candidate in candidates:
        kelurahan = places.match_kelurahan(candidate.strip()) if candidate.strip() else None
        home = places.kecamatan_of(kelurahan) if kelurahan else None
        if kelurahan and home:
            return home.name, kelurahan
    raise PartnerError(KELURAHAN, f"wajib: nama kelurahan di {places.city}.")


def _coordinates(lat: str, long: str) -> tuple[float | None, float | None]:
    if not lat.strip() and not long.strip():
        return None, None
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        raise PartnerError("lat", "lat dan long harus angka desimal.") from None
    if not (math.isfinite(latitude) and valid_coordinates(latitude, longitude)):
        raise PartnerError("lat", "koordinat tidak valid.")
    return latitude, longitude


def _privacy(raw: str) -> Privacy:
    value = raw.strip().lower() or Privacy.BIASA.value
    try:
        return Privacy(value)
    except ValueError:
        choices = ", ".join(p.value for p in Privacy)
        raise PartnerError(PRIVACY, f"pilih salah satu: {choices}.") from None


def _name(form: Mapping[str, str]) -> str | None:
    full = f"{form.get('first_name', '')[:80]} {form.get('last_name', '')[:80]}".strip()
    return clean_name(full) if full else None


def _phone(raw: str) -> str | None:
    if not raw.strip():
        return None
    phone = normalize_phone(raw[:40])
    if phone is None:
        raise PartnerError("phone", "nomor telepon tidak valid.")
    return phone
