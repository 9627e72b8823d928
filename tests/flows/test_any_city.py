"""The conversation on every built-in city pack: no code assumes Cilegon.

Every test here runs once per pack (Kota Cilegon and the made-up Kabupaten Contoh) and
takes its places, bodies and words from the pack itself, never from a list of names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape

import pytest

from flows import Conversation, FileReport, Step, step
from flows.city_pack import built_in_packs, load_city_pack
from flows.effects import Effect, FindSimilar, Keyboard, Reply
from flows.events import Command, Event, Press, SimilarFound, Text
from flows.keyboard_texts import PICK_PLACE_LABEL
from flows.rules import Rules
from tests.flows.helpers import T0, at, button_data, texts_of


@pytest.fixture(params=built_in_packs(), scope="module")
def rules(request: pytest.FixtureRequest) -> Rules:
    """The default rules of one built-in pack."""
    return Rules.for_city(load_city_pack(request.param))


class Walk:
    """A resident talking to the flow: send events, tap buttons by their label."""

    def __init__(self, rules: Rules, conv: Conversation | None = None) -> None:
        self.rules, self.conv, self.now = rules, conv or Conversation(), T0
        self.effects: list[Effect] = []

    def send(self, event: Event) -> str:
        """Feed one event a minute later; the texts of the replies."""
        self.now += timedelta(minutes=1)
        self.conv, self.effects = step(self.conv, event, self.now, self.rules)
        return texts_of(self.effects)

    def tap(self, label: str) -> str:
        """Press the newest button whose label holds `label`."""
        buttons = [b for e in self.effects if isinstance(e, Reply) for r in e.buttons for b in r]
        found = [b for b in buttons if label in b.label]
        assert found, f"no button {label!r} in {[b.label for b in buttons]}"
        return self.send(Press(found[-1].data))


def clear_story(rules: Rules) -> tuple[str, str]:
    """A complaint the pack's own keywords route confidently: (text, body id)."""
    for body in rules.catalogue.city_bodies():
        for keyword in body.strong_keywords:
            story = f"Mohon dibantu, {keyword} di lingkungan kami sudah lama sekali."
            found = rules.classifier.classify(story)
            if found.confident and found.candidates[0].body_id == body.id:
                return story, body.id
    raise AssertionError("no body of the pack is recognised by its own strong keywords")


def test_welcome_and_help_come_from_the_pack(rules: Rules) -> None:
    walk = Walk(rules)
    welcome = walk.send(Command("start"))
    assert escape(rules.city.name) in welcome and f"pemerintah {rules.city.level}" in welcome
    assert escape(rules.city.ombudsman, quote=False) in walk.send(Command("bantuan"))


def test_whole_report_by_buttons(rules: Rules) -> None:
    story, body = clear_story(rules)
    kecamatan = rules.places.kecamatan[-1]
    kelurahan = kecamatan.kelurahan[-1]
    walk = Walk(rules)
    assert "Ceritakan" in walk.send(Command("lapor"))
    assert "Sudah saya catat" in walk.send(Text(story))
    assert rules.catalogue.body(body).name in walk.tap("Lanjut")
    assert "Di kelurahan mana" in walk.tap("Ya, benar")  # the story names no place
    assert walk.effects[0].keyboard is Keyboard.LOCATION  # type: ignore[union-attr]
    assert "kecamatan" in walk.send(Text(PICK_PLACE_LABEL))  # a reply-keyboard button
    assert f"Kecamatan {kecamatan.name}" in walk.tap(kecamatan.name)
    assert "detail lokasi" in walk.tap(kelurahan)
    assert "identitas pelapor" in walk.tap("Lanjut")
    walk.tap("Biasa")
    summary = walk.send(Text("lewati"))
    assert f"Kel. {kelurahan}, Kec. {kecamatan.name}" in summary
    walk.tap("Kirim laporan")
    draft = walk.conv.draft
    assert walk.effects == [FindSimilar(draft)]  # type: ignore[arg-type]
    walk.send(SimilarFound(()))
    assert walk.conv.step is Step.IDLE and len(walk.effects) == 1
    filed = walk.effects[0]
    assert isinstance(filed, FileReport)
    assert (filed.draft.kecamatan, filed.draft.kelurahan) == (kecamatan.name, kelurahan)
    assert filed.draft.body == body and filed.draft.kind in {k.id for k in rules.catalogue.kinds}


def test_a_story_naming_its_place_is_filed_in_eight_actions(rules: Rules) -> None:
    story, body = clear_story(rules)
    kecamatan = rules.places.kecamatan[-1]
    kelurahan = kecamatan.kelurahan[-1]
    walk = Walk(rules)
    actions: list[Callable[[], str]] = [
        lambda: walk.send(Command("lapor")),
        lambda: walk.send(Text(f"{story} di {kelurahan}")),
        lambda: walk.tap("Lanjut"),
        lambda: walk.tap("Ya, benar"),  # the body
        lambda: walk.tap("Ya, benar"),  # the place the story named
        lambda: walk.tap("Biasa"),
        lambda: walk.send(Text("lewati")),
        lambda: walk.tap("Kirim laporan"),
    ]
    shown = [action() for action in actions]
    assert f"Kel. {kelurahan}, Kec. {kecamatan.name}" in shown[3]
    assert "identitas pelapor" in shown[4] and f"Kel. {kelurahan}" in shown[6]
    walk.send(SimilarFound(()))
    filed = walk.effects[0]
    assert isinstance(filed, FileReport) and filed.draft.body == body
    assert (filed.draft.kecamatan, filed.draft.kelurahan) == (kecamatan.name, kelurahan)


def test_every_place_is_found_by_its_typed_name(rules: Rules) -> None:
    for kecamatan in rules.places.kecamatan:
        for typed in (kecamatan.name, kecamatan.name.lower(), *kecamatan.aliases):
            walk = Walk(rules, at(Step.KECAMATAN, description="x" * 20))
            walk.send(Text(typed))
            assert walk.conv.draft is not None and walk.conv.draft.kecamatan == kecamatan.name
        for kelurahan in kecamatan.kelurahan:
            aliases = rules.places.kelurahan_aliases.get(kelurahan, ())
            for typed in (kelurahan.upper(), *aliases):
                walk = Walk(rules, at(Step.KELURAHAN, kecamatan=kecamatan.name))
                walk.send(Text(typed))
                assert walk.conv.draft is not None
                assert walk.conv.draft.kelurahan == kelurahan, typed


def test_every_body_is_offered_and_outside_ones_name_the_city(rules: Rules) -> None:
    offered = Walk(rules, at(Step.BODY, description="x" * 20, proposed=(), confident=False))
    offered.send(Press("5:list"))
    menu = offered.conv.menu
    assert {f"{menu}:body:{b.id}" for b in rules.catalogue.bodies} <= set(
        button_data(offered.effects)
    )
    for body in rules.catalogue.outside_bodies():
        walk = Walk(rules, offered.conv)
        said = walk.send(Press(f"{menu}:body:{body.id}"))
        assert walk.conv.step is Step.OUTSIDE
        assert f"bukan pemerintah {escape(rules.city.name)}" in said
        assert f"petugas {rules.city.level}" in said
        assert escape(body.contact or "", quote=False) in said


def test_each_body_is_found_by_its_own_strong_keywords(rules: Rules) -> None:
    missed = [
        (body.id, keyword)
        for body in rules.catalogue.bodies
        for keyword in body.strong_keywords
        if body.id not in [c.body_id for c in rules.classifier.classify(keyword).candidates[:3]]
    ]
    assert missed == []
