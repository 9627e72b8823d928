"""`[city]` in the configuration: which pack, checked at start, and what it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from suara_warga.config import Config, ConfigError, load_config
from tests.helpers import write_config


def test_default_is_the_cilegon_pack() -> None:
    rules = Config().rules()
    assert rules.city.name == rules.places.city == "Kota Cilegon"
    assert str(rules.timezone) == "Asia/Jakarta"
    assert "dpupr" in {body.id for body in rules.catalogue.bodies}


def test_example_pack_sets_places_catalogue_and_time_zone(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, '[city]\npack = "contoh"\n'))
    rules = config.rules()
    assert rules.city.name == rules.places.city == "Kabupaten Contoh"
    assert str(rules.timezone) == "Asia/Makassar"
    assert [k.name for k in rules.places.kecamatan] == ["Lembah Hijau", "Pesisir Damai"]
    assert rules.classifier.classify("petepete ngetem").candidates[0].body_id == "perhubungan"


def test_configured_time_zone_overrides_the_pack(tmp_path: Path) -> None:
    path = write_config(
        tmp_path, '[city]\npack = "contoh"\n[conversation]\ntimezone = "Asia/Jayapura"\n'
    )
    assert str(load_config(path).rules().timezone) == "Asia/Jayapura"


def test_pack_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUARA_WARGA_CITY__PACK", "contoh")
    assert Config().rules().city.name == "Kabupaten Contoh"


def test_opd_chats_are_checked_against_the_chosen_pack(tmp_path: Path) -> None:
    ok = '[city]\npack = "contoh"\n[officers.opd.kebersihan]\nchat_id = -100\n'
    assert load_config(write_config(tmp_path, ok)).officers.opd["kebersihan"].chat_id == -100
    cilegon_id = '[city]\npack = "contoh"\n[officers.opd.dlh]\nchat_id = -100\n'
    with pytest.raises(ConfigError, match=r"officers\.opd: unknown OPD id\(s\) dlh.*\(contoh\)"):
        load_config(write_config(tmp_path, cilegon_id))


def test_broken_pack_stops_start_up_naming_file_and_key(tmp_path: Path) -> None:
    folder = tmp_path / "kota-uji"
    folder.mkdir()
    (folder / "city.toml").write_text(
        'name = "Kota Uji"\nlevel = "kota"\nprovince = "P"\ntimezone = "Asia/Jakarta"\n'
        'ombudsman = "Ombudsman RI"\n',
        encoding="utf-8",
    )
    (folder / "bodies.toml").write_text('[bodies.umum]\nname = "Umum"\nkeywords = []\n', "utf-8")
    (folder / "places.toml").write_text('[[kecamatan]]\nname = "Satu"\nkelurahan = []\n', "utf-8")
    path = write_config(tmp_path, f'[city]\npack = "{folder}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"city.pack: city pack {folder} is invalid" in message
    assert "places.toml: kecamatan.0.kelurahan: List should have at least 1 item" in message


def test_unknown_pack_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="city pack kota-hantu: not a folder"):
        load_config(write_config(tmp_path, '[city]\npack = "kota-hantu"\n'))


def test_places_file_replaces_the_pack_places_and_is_checked(tmp_path: Path) -> None:
    places = tmp_path / "places.toml"
    places.write_text('[[kecamatan]]\nname = "Baru"\nkelurahan = ["Satu", "Dua"]\n', "utf-8")
    config = f'[city]\npack = "contoh"\n[conversation]\nplaces_file = "{places}"\n'
    rules = load_config(write_config(tmp_path, config)).rules()
    assert rules.places.city == "Kabupaten Contoh"
    assert [k.name for k in rules.places.kecamatan] == ["Baru"]
    places.write_text('[[kecamatan]]\nname = "Baru"\nkelurahan = ["Satu", "Satu"]\n', "utf-8")
    with pytest.raises(ConfigError, match="kelurahan 'satu' is listed more than once"):
        load_config(write_config(tmp_path, config))
