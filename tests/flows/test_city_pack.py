"""City packs: the built-in ones load, the default is Cilegon as before, and every kind
of broken pack stops with a message naming the file and what to fix."""

from __future__ import annotations

import json
from importlib import resources
from io import StringIO
from pathlib import Path

import pytest

from flows.catalogue import load_catalogue
from flows.city_pack import CityPackError, build_city_pack, built_in_packs, load_city_pack
from flows.normalize import default_lexicon, normalize
from flows.places import load_places
from flows.rules import Rules
from suara_warga.classify_command import run_classify

PACK_FILES = ("city.toml", "bodies.toml", "places.toml", "lexicon.toml")


def test_built_in_packs_are_cilegon_and_the_example() -> None:
    assert built_in_packs() == ("cilegon", "contoh")


def test_default_pack_is_cilegon_exactly_as_before() -> None:
    pack = load_city_pack()
    assert pack.city.name == "Kota Cilegon" and pack.city.level == "kota"
    assert pack.city.timezone == "Asia/Jakarta" and not pack.city.example
    assert "Perwakilan Banten" in pack.city.ombudsman
    assert pack.catalogue == load_catalogue()
    assert pack.places == load_places()
    assert pack.lexicon is default_lexicon()  # no city lexicon: the shared one, untouched


def test_default_rules_are_the_cilegon_pack() -> None:
    default, from_pack = Rules(), Rules.for_city(load_city_pack("cilegon"))
    assert default.city == from_pack.city and default.places == from_pack.places
    assert default.catalogue == from_pack.catalogue and default.timezone == from_pack.timezone


def test_example_pack_says_it_is_an_example_in_every_file() -> None:
    pack = load_city_pack("contoh")
    assert pack.city.example and pack.city.name == "Kabupaten Contoh"
    folder = resources.files("flows").joinpath("data", "contoh")
    for name in PACK_FILES:
        assert "EXAMPLE PACK, NOT REAL DATA" in folder.joinpath(name).read_text("utf-8"), name


def test_city_lexicon_is_merged_over_the_shared_one() -> None:
    contoh = load_city_pack("contoh").lexicon
    assert normalize("petepete ngetem", contoh) == "angkot ngetem"  # the city's word
    assert normalize("jln rusak", contoh) == "jalan rusak"  # the shared words still apply
    assert normalize("petepete") == "petepete"  # the shared lexicon itself is unchanged


def test_a_pack_folder_loads_by_path(tmp_path: Path) -> None:
    folder = copy_pack("contoh", tmp_path)
    pack = load_city_pack(folder)
    assert pack.source == str(folder) and pack.city.name == "Kabupaten Contoh"
    assert pack.places == load_city_pack("contoh").places


def test_lexicon_file_is_optional(tmp_path: Path) -> None:
    folder = copy_pack("contoh", tmp_path)
    (folder / "lexicon.toml").unlink()
    assert load_city_pack(folder).lexicon is default_lexicon()


def copy_pack(name: str, tmp_path: Path) -> Path:
    """A writable copy of a built-in pack."""
    folder = tmp_path / name
    folder.mkdir()
    source = resources.files("flows").joinpath("data", name)
    for file in PACK_FILES:
        if source.joinpath(file).is_file():
            (folder / file).write_text(source.joinpath(file).read_text("utf-8"), "utf-8")
    return folder


def edit(folder: Path, file: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) in one file of the pack."""
    path = folder / file
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), "utf-8")


# (file, text in the example pack, its replacement, what the message must say)
BROKEN = [
    pytest.param(
        "city.toml", 'level = "kabupaten"', "level = kabupaten", "city.toml: not valid TOML",
        id="malformed-toml",
    ),
    pytest.param(
        "places.toml", "[kelurahan_aliases]", "[kelurahan_aliases\n", "(at line 14, column 19)",
        id="malformed-toml-names-the-line",
    ),
    pytest.param(
        "bodies.toml", "[bodies.desa]", "[bodies.kesehatan]",
        "Cannot declare ('bodies', 'kesehatan') twice (at line 70",
        id="duplicate-body-id",
    ),
    pytest.param(
        "bodies.toml", "[bodies.desa]", "[bodies.Kantor-Desa]", "body id 'Kantor-Desa'",
        id="body-id-shape",
    ),
    pytest.param(
        "bodies.toml", "[bodies.desa]", "[bodies.triage]", "reserved for the central triage",
        id="body-id-reserved",
    ),
    pytest.param(
        "bodies.toml", 'short_name = "Dinkes"', 'short_name = "DLH"', "short_name 'dlh'",
        id="duplicate-button-name",
    ),
    pytest.param(
        "bodies.toml", 'contact = "Hubungi PLN', 'kontak = "Hubungi PLN',
        "outside body 'pln' needs a contact", id="outside-body-without-contact",
    ),
    pytest.param(
        "bodies.toml", 'name = "Dinas Kesehatan Kabupaten Contoh"', "", "'name'",
        id="body-without-name",
    ),
    pytest.param(
        "places.toml", '["Teluk Biru", "Karang Baru", "Pasir Putih"]', "[]",
        "kecamatan.1.kelurahan: List should have at least 1 item", id="kecamatan-no-kelurahan",
    ),
    pytest.param(
        "places.toml", 'name = "Pesisir Damai"', 'name = "Lembah Hijau"',
        "kecamatan 'lembah hijau' is listed twice", id="duplicate-kecamatan",
    ),
    pytest.param(
        "places.toml", '"Karang Baru"', '"Sukamaju"',
        "kelurahan 'sukamaju' is listed more than once (in Lembah Hijau, Pesisir Damai)",
        id="duplicate-kelurahan",
    ),
    pytest.param(
        "places.toml", '"Tanjung Sari" = [', '"Tanjung Sarii" = [',
        "'Tanjung Sarii' is not a kelurahan", id="alias-of-unknown-kelurahan",
    ),
    pytest.param(
        "places.toml", 'city = "Kabupaten Contoh"', 'city = "Kota Contoh"',
        "is not the city.toml name", id="places-of-another-city",
    ),
    pytest.param(
        "places.toml", 'aliases = ["Lembahijau"]', 'alias = ["Lembahijau"]',
        "kecamatan.0.alias: Extra inputs are not permitted", id="typo-in-places",
    ),
    pytest.param(
        "city.toml", 'level = "kabupaten"', 'level = "provinsi"', "level: Input should be",
        id="unknown-level",
    ),
    pytest.param(
        "city.toml", 'timezone = "Asia/Makassar"', 'timezone = "Asia/Cilegon"',
        "unknown time zone 'Asia/Cilegon'", id="unknown-time-zone",
    ),
    pytest.param(
        "city.toml", "ombudsman = ", "ombudsmen = ", "city.toml: ombudsman: Field required",
        id="missing-ombudsman",
    ),
    pytest.param(
        "lexicon.toml", "[words]", "[wrods]", "lexicon.toml: unknown key 'wrods'",
        id="lexicon-unknown-key",
    ),
    pytest.param(
        "lexicon.toml", 'petepete = "angkot"', "petepete = 3", "words must be a table",
        id="lexicon-word-not-text",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "says"), BROKEN)
def test_broken_pack_stops_with_a_clear_error(
    tmp_path: Path, file: str, old: str, new: str, says: str
) -> None:
    folder = copy_pack("contoh", tmp_path)
    edit(folder, file, old, new)
    with pytest.raises(CityPackError) as caught:
        load_city_pack(folder)
    message = str(caught.value)
    assert message.startswith(f"city pack {folder} is invalid:")
    assert f"{file}: " in message and says in message


@pytest.mark.parametrize("missing", ["city.toml", "bodies.toml", "places.toml"])
def test_missing_required_file(tmp_path: Path, missing: str) -> None:
    folder = copy_pack("contoh", tmp_path)
    (folder / missing).unlink()
    with pytest.raises(CityPackError, match=f"{missing} is missing"):
        load_city_pack(folder)


@pytest.mark.parametrize("source", ["serang", "/no/such/folder"])
def test_unknown_pack_names_the_built_in_ones(source: str) -> None:
    with pytest.raises(CityPackError, match=r"nor a built-in pack \(cilegon, contoh\)"):
        load_city_pack(source)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    folder = copy_pack("contoh", tmp_path)
    edit(folder, "city.toml", 'timezone = "Asia/Makassar"', 'timezone = "Mars/Olympus"')
    edit(folder, "bodies.toml", "[bodies.desa]", "[bodies.triage]")
    edit(folder, "places.toml", '"Karang Baru"', '"Sukamaju"')
    with pytest.raises(CityPackError) as caught:
        load_city_pack(folder)
    lines = str(caught.value).splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines] == [
        "city.toml",
        "bodies.toml",
        "places.toml",
        "places.toml",  # the renamed kelurahan's centre now names no kelurahan
    ]
    assert "kelurahan_centres: 'Karang Baru'" in lines[-1]


def test_building_from_texts_is_pure() -> None:
    city = 'name = "Kota Uji"\nlevel = "kota"\nprovince = "P"\ntimezone = "Asia/Jayapura"\n'
    city += 'ombudsman = "Ombudsman RI"\n'
    bodies = '[bodies.umum]\nname = "Dinas Umum"\nkeywords = ["jalan"]\n'
    places = '[[kecamatan]]\nname = "Satu"\nkelurahan = ["Dua"]\n'
    texts = {"city.toml": city, "bodies.toml": bodies, "places.toml": places}
    pack = build_city_pack(texts, "uji")
    assert pack.places.city == "Kota Uji" and pack.places.match_kelurahan("dua") == "Dua"
    assert [b.id for b in pack.catalogue.bodies] == ["umum"]


def test_classify_command_uses_the_chosen_pack() -> None:
    out = StringIO()
    assert run_classify("petepete ngetem terus", StringIO(""), out, city="contoh") == 0
    assert json.loads(out.getvalue())["candidates"][0]["id"] == "perhubungan"
    out = StringIO()
    assert run_classify("x", StringIO(""), out, city="kota-hantu") == 2
    assert "nor a built-in pack" in json.loads(out.getvalue())["error"]
