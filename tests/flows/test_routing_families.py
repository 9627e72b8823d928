"""The families of routing mistakes of issue #16, one table each: the office that said
no, everyday words that must not decide, dialect, loose matching, places under another
authority. The examples are written for these tests, not taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from flows.catalogue import CatalogueError, load_catalogue, parse_catalogue
from flows.classify import Classifier
from flows.loose import acceptable
from flows.normalize import normalize
from flows.word_weights import specificity

CATALOGUE = load_catalogue()
CLASSIFIER = Classifier(CATALOGUE)


def ranked(text: str) -> list[str]:
    """Candidate body ids, best first."""
    return [c.body_id for c in CLASSIFIER.classify(text).candidates]


@pytest.mark.parametrize(
    ("text", "body", "refused"),
    [
        pytest.param(
            "sudah lapor ke Dishub soal got mampet, katanya bukan wewenang mereka",
            "dpupr", "dishub", id="pronoun-after-visit",
        ),
        pytest.param("ke kantor pos disuruh ke kelurahan", "kelurahan", "nasional", id="sent-on"),
        pytest.param(
            "pipa bocor depan rumah, dinas PU bilang bukan urusannya", "pdam", "dpupr",
            id="quoted-office-nya",
        ),
        pytest.param(
            "lapor pju mati, katanya bukan wewenang dishub karena jalan provinsi",
            "provinsi", "dishub", id="office-named-after",
        ),
        pytest.param(
            "anak saya ditolak daftar smp, sekolah bilang itu urusan dinas pendidikan",
            "dindikbud", None, id="urusan-x-is-for-x",
        ),
        pytest.param(
            "tanya ke puskesmas soal sertifikat tanah, diarahkan ke bpn", "bpn", "dinkes",
            id="diarahkan-ke",
        ),
        pytest.param(
            "sampah numpuk seminggu, sudah ke kelurahan tapi dilempar ke dlh terus",
            "dlh", None, id="thrown-around-problem-decides",
        ),
        pytest.param(
            "jare dudu urusane kelurahan, dikongkon maring dinsos soal bansos",
            "dinsos", "kelurahan", id="jawa-serang",
        ),
        pytest.param(
            "lapor ka pdam soal cai solokan meluap, cenah lain urusan pdam", "dpupr", "pdam",
            id="sunda",
        ),
        pytest.param(
            "selokan mampet, petugas kebersihan bilang mereka cuma angkut sampah, bukan "
            "urusan saluran",
            "dpupr", "dlh", id="speaker-declines-a-topic",
        ),
        pytest.param(
            "kambing saya sakit, ke puskesmas katanya bukan buat hewan", "dkpp", "dinkes",
            id="not-for-animals",
        ),
    ],
)
def test_the_office_that_said_no(text: str, body: str, refused: str | None) -> None:
    result = CLASSIFIER.classify(text)
    assert result.candidates[0].body_id == body
    if refused is not None:
        assert not (result.candidates[0].body_id == refused and result.confident)
        shown = [m for c in result.candidates for m in c.matched]
        assert any(m.startswith(("menolak: ", "diarahkan ke: ")) for m in shown)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("anak saya digigit anjing liar di lapangan", "dkpp", id="child-and-dog"),
        pytest.param("istri saya antre ktp dari subuh belum dipanggil", "disdukcapil", id="wife"),
        pytest.param("suami saya kena phk tanpa pesangon", "disnaker", id="husband"),
        pytest.param("sampah numpuk di depan sekolah anak saya", "dlh", id="school-landmark"),
        pytest.param("lampu pju mati di lampu merah dekat pasar", "dishub", id="places"),
        pytest.param("kebakaran kios di pasar tadi malam", "damkar", id="fire-at-market"),
        pytest.param("wifi gratis di taman kota ga nyala", "diskominfo", id="wifi-in-a-park"),
        pytest.param("antrean di rumah sakit penuh, ibu saya belum dapat kamar", "rsud", id="rs"),
        pytest.param("pulang naik kereta, dompet saya dicopet di stasiun", "polri", id="train"),
    ],
)
def test_everyday_words_do_not_decide(text: str, body: str) -> None:
    assert ranked(text)[0] == body


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("anak saya di sekolah", id="child-at-school"),
        pytest.param("istri saya ke pasar", id="wife-to-market"),
        pytest.param("rumah saya dekat lampu merah", id="house-near-lights"),
        pytest.param("tadi lewat rumah sakit macet", id="passing-hospital"),
        pytest.param(
            "tiap antar ibu belanja ke Pasar Kranggot kami lewat jalan lingkungan yang "
            "aspalnya habis, tinggal batu dan lubang",
            id="one-name-against-a-described-problem",
        ),
    ],
)
def test_no_confidence_on_one_incidental_phrase(text: str) -> None:
    assert not CLASSIFIER.classify(text).confident


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("oray asup ka imah, budak sieun", "damkar", id="sunda-snake"),
        pytest.param("cai teu ngocor ti isuk", "pdam", id="sunda-water"),
        pytest.param("beurit loba pisan di solokan nu mampet", "dpupr", id="sunda-blocked-drain"),
        pytest.param("ktp abdi leungit di angkot", "disdukcapil", id="sunda-lost"),
        pytest.param("anjing kita digegel asu liar", "dkpp", id="jawa-bitten"),
        pytest.param("omah kula kobong, geni gede", "damkar", id="jawa-fire"),
        pytest.param("banyu pdam ora mili wis telu dina", "pdam", id="jawa-water"),
        pytest.param("dalan ning kampung bolong akeh", "dpupr", id="jawa-road"),
        pytest.param("wedus tetangga mati mendadak", "dkpp", id="jawa-goat"),
        pytest.param("kartu kk kula ilang", "disdukcapil", id="jawa-lost"),
    ],
)
def test_dialect_core_words(text: str, body: str) -> None:
    assert ranked(text)[0] == body


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("imah", "rumah"), ("umah", "rumah"), ("cai", "air"), ("banyu", "air"),
        ("euweuh", "tidak ada"), ("laka", "tidak ada"), ("leungit", "hilang"),
        ("ilang", "hilang"), ("ruksak", "rusak"), ("remuk", "hancur"), ("oray", "ular"),
        ("asu", "anjing"), ("gering", "sakit"), ("lara", "sakit"), ("budak", "anak"),
        ("bocah", "anak"), ("artos", "uang"), ("duwit", "uang"), ("dalan", "jalan"),
        ("cenah", "katanya"), ("jare", "katanya"), ("dititah", "disuruh"),
        ("dikongkon", "disuruh"),
    ],
)  # fmt: skip
def test_dialect_core_vocabulary(typed: str, standard: str) -> None:
    assert normalize(typed) == standard


@pytest.mark.parametrize(
    ("text", "not_body"),
    [
        pytest.param("ibu saya mau melaporkan tetangga yang berisik", "rsud", id="melaporkan"),
        pytest.param("sudah dilaporkan berkali kali ke rt", "dindikbud", id="dilaporkan"),
        pytest.param("petugasnya membentak warga", "pdam", id="membentak"),
        pytest.param("saya menanyakan jadwal posyandu", "dkpp", id="menanyakan-not-tanaman"),
    ],
)
def test_loose_matching_keeps_the_stem(text: str, not_body: str) -> None:
    assert not_body not in ranked(text)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("puskesms tutup pagi", "dinkes", id="missing-letter"),
        pytest.param("smapah numpuk", "dlh", id="swapped-letters"),
        pytest.param("kebakarn di gudang", "damkar", id="missing-a"),
    ],
)
def test_loose_matching_still_forgives_typos(text: str, body: str) -> None:
    assert ranked(text)[0] == body


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("jalan rusak di Jalan Raya Merak", "nasional", id="national-road"),
        pytest.param("jalan raya cilegon berlubang depan ramayana", "nasional", id="serang-road"),
        pytest.param("lampu jalan di jalan raya anyer mati semua", "provinsi", id="anyer"),
        pytest.param("aspal di tol tangerang merak bergelombang", "nasional", id="toll-road"),
        pytest.param("parkir liar truk di pelabuhan merak", "nasional", id="port"),
        pytest.param("sampah numpuk di pinggir jalan raya merak", "dlh", id="rubbish-stays-city"),
        pytest.param("jalan rusak di gang dekat kantor kelurahan", "dpupr", id="city-road"),
    ],
)
def test_places_under_another_authority(text: str, body: str) -> None:
    assert ranked(text)[0] == body


def test_outside_places_are_editable_data_marked_unconfirmed() -> None:
    places = {p.id: p for p in CATALOGUE.outside_places}
    assert places["jalan_cilegon_merak"].body == "nasional"
    assert places["tol_tangerang_merak"].body == "nasional"
    assert all(p.unconfirmed for p in places.values())
    result = CLASSIFIER.classify("jalan rusak di Jalan Raya Merak")
    assert any("belum dipastikan" in m for m in result.candidates[0].matched)


def test_outside_place_naming_an_unknown_body_is_rejected() -> None:
    data = {
        "bodies": {"pu": {"name": "PU", "keywords": ["jalan"]}},
        "outside_places": {"x": {"name": "X", "names": ["jalan x"], "body": "pusat"}},
    }
    with pytest.raises(CatalogueError, match="unknown bodies"):
        parse_catalogue(data)


def test_phrase_weights_come_from_the_spread_over_bodies() -> None:
    by_body = [
        [("digigit", "anjing"), ("anjing",), ("anak",)],
        [("anak", "sekolah"), ("guru",)],
        [("kekerasan", "anak"), ("anak",)],
    ]
    weights = specificity(by_body, [("anak",)], scene_share=0.05, power=1.0, floor=0.1)
    assert weights[("digigit", "anjing")] == 1.0
    assert weights[("guru",)] == 1.0
    assert weights[("anak",)] < 0.6  # in every body, and a scene word
    assert weights[("anak",)] >= 0.1


@pytest.mark.parametrize(
    ("typed", "keyword", "ok"),
    [
        ("melaporkan", "melahirkan", False),  # me-lapor-kan is not me-lahir-kan
        ("puskesms", "puskesmas", True),
        ("smapah", "sampah", True),  # a swapped pair
        ("lebar", "lebah", False),  # a replaced letter in a short word
        ("kebakarn", "kebakaran", True),
    ],
)
def test_loose_matches_judged_on_the_stem(typed: str, keyword: str, ok: bool) -> None:
    assert acceptable(typed, keyword) is ok


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param(
            "lampu jalan di jalan kota mati semua, bukan jalan nasional", "dishub",
            id="denied-place",
        ),
        pytest.param(
            "rumah warga kebanjiran semalam di Kelurahan Kotabumi", "bpbd", id="address"
        ),
        pytest.param("rmh kebanjiran td mlm di kel Ramanuju", "bpbd", id="short-address"),
        pytest.param(
            "pelayanan kantor kecamatan citangkil tutup jam 11", "kelurahan",
            id="office-not-address",
        ),
        pytest.param(
            "tiap hari lewat jembatan penyeberangan ada pengemis anak kecil", "dinsos",
            id="route-not-problem",
        ),
        pytest.param(
            "mau berobat ke puskesmas malah disuruh bawa surat pengantar rt dulu", "dinkes",
            id="document-demanded",
        ),
        pytest.param(
            "jalan di gang kami berlubang, kayaknya itu punya provinsi", "dpupr",
            id="hearsay-about-the-authority",
        ),
        pytest.param(
            "izin usaha gw udh msk dr bln 3, smp skrg gk ad kbr", "dpmptsp",
            id="smp-is-sampai-in-shorthand",
        ),
        pytest.param(
            "ibu-ibu posyandu mau ikut penyuluhan gizi dari dinas pemberdayaan perempuan, "
            "daftarnya ke mana?",
            "dp3ap2kb",
            id="office-named-by-its-name",
        ),
        pytest.param(
            "tiang listrik kayu di gang keropos, ke dinas perhubungan katanya itu bukan tiang "
            "lampu jalan",
            "pln",
            id="denied-two-words-on",
        ),
    ],
)
def test_denials_addresses_routes_documents_and_hearsay(text: str, body: str) -> None:
    assert ranked(text)[0] == body
