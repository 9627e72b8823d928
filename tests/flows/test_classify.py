"""Routing residents' own words to the responsible body, and saying "not sure"."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest

from flows.catalogue import CatalogueError, UnknownBodyError, load_catalogue
from flows.classify import Classification, Classifier, classification_json
from suara_warga.classify_command import run_classify

CATALOGUE = load_catalogue()
CLASSIFIER = Classifier(CATALOGUE)

CITY_IDS = {
    "disdukcapil", "dinkes", "rsud", "dindikbud", "dpupr", "disperkim", "dlh", "dishub",
    "dinsos", "satpolpp", "bpbd", "damkar", "disnaker", "dpmptsp", "bapenda", "pdam",
    "dp3ap2kb", "disperindag", "dkpp", "diskominfo", "kelurahan",
}  # fmt: skip
OUTSIDE_IDS = {"pln", "bpjs_kesehatan", "polri", "bpn", "provinsi", "nasional"}
KIND_IDS = {
    "tidak_memberikan_pelayanan", "penundaan_berlarut", "penyimpangan_prosedur",
    "permintaan_imbalan", "tidak_patut", "tidak_kompeten", "diskriminasi", "sarana_rusak",
    "permintaan_informasi", "lainnya",
}  # fmt: skip


def top(text: str, classifier: Classifier = CLASSIFIER) -> str | None:
    """The id of the best candidate, if any."""
    result = classifier.classify(text)
    return result.candidates[0].body_id if result.candidates else None


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("jln rusak parah kyk kubangan", "dpupr", id="slang-road"),
        pytest.param("got mampet, air meluap ke jalan", "dpupr", id="got-mampet"),
        pytest.param("sampah numpuk di tps udh seminggu", "dlh", id="sampah-numpuk"),
        pytest.param("air pdam mati dari kemaren", "pdam", id="air-pdam-mati"),
        pytest.param("ktp blm jadi blanko habis", "disdukcapil", id="blanko-habis"),
        pytest.param("cuma dikasih suket terus", "disdukcapil", id="suket"),
        pytest.param("bansos ga cair2", "dinsos", id="bansos-tidak-cair"),
        pytest.param("lampu pju mati gelap gulita", "dishub", id="pju-mati"),
        pytest.param("puskesmas tutup jam 11, anak demam gak dilayani", "dinkes", id="puskesmas"),
        pytest.param("smapah di pinggir jalan bau bgt", "dlh", id="typo-swapped-letters"),
        pytest.param("puskesms tutup pagi2", "dinkes", id="typo-missing-letter"),
        pytest.param("sampahnya numpuk", "dlh", id="clitic-nya"),
        pytest.param("runtah numpuk di sisi jalan", "dlh", id="sunda-runtah"),
        pytest.param("dalan ning kampung kula ancur", "dpupr", id="jawa-serang-dalan"),
        pytest.param("cai pdam teu ngocor", "pdam", id="sunda-cai"),
        pytest.param("rumah tetangga kebakaran, damkar lama", "damkar", id="kebakaran"),
        pytest.param("ada pkl jualan di trotoar", "satpolpp", id="pkl"),
        pytest.param("banjir setinggi lutut di kampung", "bpbd", id="banjir"),
        pytest.param("pupuk subsidi langka di kios", "dkpp", id="pupuk"),
        pytest.param("gas melon langka di pangkalan", "disperindag", id="gas-melon"),
        pytest.param("ngurus sktm di kelurahan dipersulit", "kelurahan", id="sktm"),
        pytest.param("sampah numpuk di depan sekolah", "dlh", id="school-is-a-landmark"),
        pytest.param("jalan depan rumah sy bolong2 gede", "dpupr", id="bolong"),
        pytest.param("lampu jalan mati", "dishub", id="lampu-jalan-not-dpupr"),
    ],
)
def test_typical_reports_go_to_the_right_body(text: str, body: str) -> None:
    assert top(text) == body


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("kk sy hilang", "disdukcapil", id="kk-is-kartu-keluarga"),
        pytest.param("nik ganda katanya", "disdukcapil", id="nik"),
        pytest.param("pkh ga cair", "dinsos", id="pkh"),
        pytest.param("ada api di gudang", "damkar", id="api"),
        pytest.param("PJU mati", "dishub", id="pju-uppercase"),
    ],
)
def test_acronyms_match_as_whole_tokens(text: str, body: str) -> None:
    assert top(text) == body


@pytest.mark.parametrize(
    ("text", "not_body"),
    [
        pytest.param("ada sapi lepas di jalan", "damkar", id="api-not-in-sapi"),
        pytest.param("kakak sy mau daftar sekolah", "disdukcapil", id="kakak-is-not-kk"),
        pytest.param("sampai sekarang belum ada kabar", "dlh", id="sampai-is-not-sampah"),
        pytest.param("motor dimaling siang bolong", "dpupr", id="siang-bolong-is-no-pothole"),
        pytest.param("banjir di Kebon Dalem", "dkpp", id="place-name-is-no-garden"),
    ],
)
def test_no_false_hits(text: str, not_body: str) -> None:
    ids = [c.body_id for c in CLASSIFIER.classify(text).candidates]
    assert not_body not in ids


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param("listrik padam dari pagi", "pln", id="pln"),
        pytest.param("kartu bpjs sy dinonaktifkan", "bpjs_kesehatan", id="bpjs"),
        pytest.param("motor sy dicuri di parkiran", "polri", id="polri"),
        pytest.param("sertifikat tanah ptsl blm jadi", "bpn", id="bpn"),
        pytest.param("sma negeri minta sumbangan gedung", "provinsi", id="sma-is-provinsi"),
        pytest.param("jalan cilegon merak berlubang", "nasional", id="national-road"),
    ],
)
def test_outside_bodies_are_proposed_with_a_contact(text: str, body: str) -> None:
    assert top(text) == body
    assert CATALOGUE.body(body).outside
    assert CATALOGUE.body(body).contact


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("tolong pak", id="plea"),
        pytest.param("pelayanan di sini buruk sekali", id="vague"),
        pytest.param("kenapa laporan saya belum ditanggapi", id="no-topic"),
        pytest.param("wis bosen lapor ore ditanggapi", id="jawa-no-topic"),
        pytest.param("", id="empty"),
    ],
)
def test_not_sure_on_vague_text(text: str) -> None:
    assert not CLASSIFIER.classify(text).confident


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("petugas kelurahan dimintai uang rokok", "permintaan_imbalan", id="pungli"),
        pytest.param("petugas capil judes pisan", "tidak_patut", id="judes"),
        pytest.param("ktp udah 6 bulan belum jadi", "penundaan_berlarut", id="berlarut"),
        pytest.param("syarat bikin akta lahir apa aja?", "permintaan_informasi", id="question"),
        pytest.param("jembatan kampung ambruk", "sarana_rusak", id="rusak"),
        pytest.param("ngurus surat pindah dipersulit", "penyimpangan_prosedur", id="dipersulit"),
        pytest.param("tolong pak", "lainnya", id="fallback"),
    ],
)
def test_kind_of_problem(text: str, kind: str) -> None:
    assert CLASSIFIER.classify(text).kind == kind


def test_confident_answer_ranks_candidates_and_shows_why() -> None:
    result = CLASSIFIER.classify("air pdam mati, tagihan air tetap naik")
    assert result.confident
    assert result.candidates[0].body_id == "pdam"
    assert "air pdam" in result.candidates[0].matched
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


def test_a_learned_correction_reroutes_the_next_similar_report() -> None:
    classifier = Classifier(CATALOGUE)
    # (this used "jalan raya anyer", which the catalogue's outside places now route to
    # the province without any correction)
    first = "lampu jalan di komplek pergudangan mati semua"
    assert top(first, classifier) == "dishub"
    classifier.learn(first, "disperkim")
    again = classifier.classify("lampu jalan di komplek pergudangan mati semua dari kemarin")
    assert again.candidates[0].body_id == "disperkim"
    assert again.candidates[0].matched[0].startswith("contoh: ")
    assert top("lampu jalan di gang kami mati semua", classifier) == "dishub"


def test_examples_given_at_start_override_keywords() -> None:
    text = "banyak kabel semrawut di tiang depan rumah"
    classifier = Classifier(CATALOGUE, examples=[(text, "pln")])
    result = classifier.classify(text)
    assert result.candidates[0].body_id == "pln" and result.confident


def test_the_latest_officer_decision_wins() -> None:
    classifier = Classifier(CATALOGUE)
    text = "truk parkir di bahu jalan depan pabrik"
    classifier.learn(text, "satpolpp")
    classifier.learn(text, "dishub")
    assert top(text, classifier) == "dishub"


def test_learning_an_unknown_body_is_an_error() -> None:
    with pytest.raises(UnknownBodyError):
        CLASSIFIER.learn("sampah numpuk", "dinas_hantu")


def test_catalogue_has_every_body_and_kind() -> None:
    assert {b.id for b in CATALOGUE.city_bodies()} == CITY_IDS
    assert {b.id for b in CATALOGUE.outside_bodies()} == OUTSIDE_IDS
    assert {k.id for k in CATALOGUE.kinds} == KIND_IDS
    for body in CATALOGUE.bodies:
        assert body.name and body.short_name and body.description and body.keywords
    assert "123" in (CATALOGUE.body("pln").contact or "")


def test_unknown_body_id_raises_a_domain_error() -> None:
    with pytest.raises(UnknownBodyError):
        CATALOGUE.body("dinas_hantu")


def test_catalogue_loads_from_a_custom_path(tmp_path: Path) -> None:
    path = tmp_path / "bodies.toml"
    path.write_text(
        '[bodies.kebersihan]\nname = "Dinas Kebersihan"\nshort_name = "DK"\n'
        'description = "sampah"\nkeywords = ["sampah", "tong sampah"]\n'
        '[bodies.pam]\nname = "PAM Kota"\nkeywords = ["air mati"]\noutside = true\n'
        'contact = "telepon 1500"\n',
        "utf-8",
    )
    catalogue = load_catalogue(path)
    assert [b.id for b in catalogue.bodies] == ["kebersihan", "pam"]
    assert [k.id for k in catalogue.kinds] == ["lainnya"]
    assert top("tong sampah penuh", Classifier(catalogue)) == "kebersihan"
    assert Classifier(catalogue).classify("air mati").kind == "lainnya"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("bodies = 3", id="bodies-not-a-table"),
        pytest.param("[bodies.x]\nkeywords = []\n", id="missing-name"),
        pytest.param('[bodies.x]\nname = "X"\nkeywords = "sampah"\n', id="keywords-not-a-list"),
        pytest.param('[bodies.x]\nname = "X"\nkeywords = []\noutside = true\n', id="no-contact"),
        pytest.param("[bodies.x\n", id="bad-toml"),
        pytest.param(
            'kind_precedence = ["suap"]\n[bodies.x]\nname = "X"\nkeywords = []\n',
            id="precedence-names-an-unknown-kind",
        ),
    ],
)
def test_malformed_catalogue_is_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bodies.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(CatalogueError):
        load_catalogue(path)


def test_classification_json_shape() -> None:
    text = "sampah numpuk"
    data = classification_json(text, CLASSIFIER.classify(text))
    assert set(data) == {"text", "candidates", "confident", "kind"}
    assert data["text"] == text
    candidates = data["candidates"]
    assert isinstance(candidates, list) and candidates[0]["id"] == "dlh"
    assert set(candidates[0]) == {"id", "score", "matched"}
    json.dumps(data)


def test_classification_without_evidence_is_empty() -> None:
    assert CLASSIFIER.classify("halo") == Classification((), False, "lainnya")


def test_classify_command_reads_lines_and_prints_json() -> None:
    out = StringIO()
    code = run_classify(None, StringIO("sampah numpuk\n\nlistrik padam\n"), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0
    assert [r["candidates"][0]["id"] for r in rows] == ["dlh", "pln"]


def test_classify_command_single_text_keeps_non_ascii() -> None:
    out = StringIO()
    assert run_classify("jalan rusak 😡", StringIO(""), out) == 0
    assert "😡" in out.getvalue()


def test_classify_command_reports_a_bad_catalogue(tmp_path: Path) -> None:
    out = StringIO()
    assert run_classify("x", StringIO(""), out, tmp_path / "missing.toml") == 2
    assert "error" in json.loads(out.getvalue())
