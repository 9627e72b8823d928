"""Property: nothing built for outside the handling officers' chat carries an identity,
nor, for rahasia, the story.

For random reports (a resident's or a kader's for a neighbour, any protection, a story
that may spell out the reporter's name, username, Telegram id and phone, a public text
as proposed at filing or as an officer typed it, verified or not), every builder of
what others may see is checked: the public view and its similar-list line
(`flows.public_view`, `flows.similar`, `flows.report_texts`), and the CSV and XLSX
exports of the same reports (`service.exports`, from `flows.public_view.report_facts`).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from flows.deadlines import DeadlineRules
from flows.filing import new_report
from flows.monthly import monthly_summary
from flows.prompts import kind_label
from flows.public_view import public_report, report_facts
from flows.report import Neighbour, Privacy, Report, Reporter, Status
from flows.report_texts import similar_line
from flows.similar import pick_similar, similar_views
from flows.state import Draft
from service.exports import reports_csv, reports_xlsx
from tests.flows.helpers import RULES

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NAMES = ("Siti Aminah", "Dewi Lestari", "Budi Santoso", "Rina Wulandari", "Agus Salim", "Yati")
STORY_WORD = st.from_regex(r"qz[a-z]{4,8}", fullmatch=True)


@st.composite
def people(draw: st.DrawFn) -> tuple[Reporter, Neighbour | None]:
    user_id = draw(st.integers(10**5, 10**10))
    reporter = Reporter(
        user_id=user_id,
        chat_id=user_id,
        name=draw(st.sampled_from(NAMES)),
        username=draw(st.none() | st.from_regex(r"[a-z][a-z0-9_]{4,12}", fullmatch=True)),
        phone=draw(st.none() | st.from_regex(r"\+628[1-9][0-9]{8,10}", fullmatch=True)),
    )
    neighbour = None
    if draw(st.booleans()):
        neighbour = Neighbour(
            name=draw(st.sampled_from(NAMES)),
            phone=draw(st.none() | st.from_regex(r"08[1-9][0-9]{8,10}", fullmatch=True)),
        )
    return reporter, neighbour


def spelled(reporter: Reporter, neighbour: Neighbour | None) -> list[str]:
    """The ways a story may spell out the people behind it."""
    out = [reporter.name, reporter.name.upper(), str(reporter.user_id)]
    if reporter.username:
        out += [f"@{reporter.username}", reporter.username]
    if reporter.phone:
        national = reporter.phone.removeprefix("+62")
        out += [reporter.phone, f"0{national}", f"0{national[:3]}-{national[3:7]}-{national[7:]}"]
    if neighbour is not None:
        out += [neighbour.name, *([neighbour.phone] if neighbour.phone else [])]
    return out


@st.composite
def reports(draw: st.DrawFn) -> Report:
    reporter, neighbour = draw(people())
    words = draw(st.lists(STORY_WORD, min_size=3, max_size=12))
    leaks = draw(st.lists(st.sampled_from(spelled(reporter, neighbour)), max_size=4))
    story = " ".join(draw(st.permutations([*words, *leaks])))
    draft = Draft(
        started_at=T0,
        for_neighbour=neighbour is not None,
        reporter_name=reporter.name if neighbour else None,
        neighbour_name=neighbour.name if neighbour else None,
        neighbour_phone=neighbour.phone if neighbour else None,
        consent=True,
        description=story,
        photos=("AgAC-foto",),
        kecamatan="Cilegon",
        kelurahan="Bagendung",
        privacy=draw(st.sampled_from(list(Privacy))),
        phone=reporter.phone,
        body="dlh",
        kind="sarana_rusak",
    )
    new = new_report(draft, reporter, "SW-7K3M-Q9XA", T0)
    changes: dict[str, Any] = {
        "privacy": new.privacy.adding(
            anonymous=draw(st.booleans()), confidential=draw(st.booleans())
        ),  # officers may add a protection when verifying
        "public_at": draw(st.none() | st.just(T0)),
        "verified_at": draw(st.none() | st.just(T0)),
        "photos_public": draw(st.booleans()),
    }
    if draw(st.booleans()):  # an officer typed her own text, identity and all
        changes["public_text"] = " ".join(draw(st.permutations([*words[:3], *leaks])))
    stored = Report(
        **new.model_dump(),
        id=1,
        status=draw(st.sampled_from(list(Status))),
        updated_at=T0,
        first_answer_at=T0 + timedelta(days=1),
    )
    return stored.model_copy(update=changes)


def identity_found(report: Report, shown: str) -> list[str]:
    """The identity fields of the report's people that `shown` contains."""
    found = []
    people = [report.reporter.name, *([report.neighbour.name] if report.neighbour else [])]
    for name in people:
        for word in [name, *name.split()]:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", shown, re.IGNORECASE):
                found.append(word)
    username = report.reporter.username
    if username and re.search(rf"(?<!\w){re.escape(username)}(?!\w)", shown):
        found.append(username)  # as a word: a random story word "qzazaa" holds "zazaa"
    phones = [report.reporter.phone, report.neighbour.phone if report.neighbour else None]
    numbers = [str(report.reporter.user_id), *(p for p in phones if p)]
    for number in numbers:
        significant = re.sub(r"^(\+?62|0)", "", number)
        if re.search(r"[ .-]?".join(significant), shown):
            found.append(number)
    return found


def outside_views(report: Report) -> list[str]:
    """Everything built from this report for outside the handling officers' chat."""
    shown = []
    view = public_report(report, supporters=2)
    if view is not None:
        shown += [repr(view), similar_line(view, kind_label(view.kind, RULES), RULES.timezone)]
    shown += [
        repr(v) for v in similar_views(pick_similar(report.description, [report]), {report.id: 2})
    ]
    facts = [report_facts(report)]
    shown.append(reports_csv(facts).decode("utf-8-sig"))
    return shown


def xlsx_text(report: Report) -> str:
    facts = [report_facts(report)]
    summary = monthly_summary(
        facts, 2026, 11, RULES.timezone, DeadlineRules(), frozenset(), as_of=T0
    )
    book = load_workbook(io.BytesIO(reports_xlsx(facts, summary)))
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def check(report: Report, shown: list[str]) -> None:
    for text in shown:
        assert identity_found(report, text) == [], text
        story_words = set(re.findall(r"qz[a-z]+", report.description))
        if report.privacy.confidential or None in (report.public_at, report.verified_at):
            assert not story_words & set(re.findall(r"qz[a-z]+", text)), text


@settings(max_examples=300, deadline=None)
@given(reports())
def test_nothing_outside_the_officers_chat_carries_identity_or_a_rahasia_story(
    report: Report,
) -> None:
    check(report, outside_views(report))


@settings(max_examples=25, deadline=None)
@given(reports())
def test_the_xlsx_export_carries_no_identity_nor_story(report: Report) -> None:
    check(report, [xlsx_text(report)])
