"""A busy group's digest (`service.backpressure.digest_if_due`): the waiting reports,
one entry each, cut between entries into messages within Telegram's limit."""

from __future__ import annotations

import json
from pathlib import Path

from emulator.html_check import parse_html, parse_text, utf16_len
from flows.backlog import Backlog
from flows.rules import Rules
from service.backpressure import DIGEST_PURPOSE, digest_if_due
from service.outgoing import TEXT_LIMIT
from storage import Store
from tests.factories import NOW, make_report
from tests.storage.helpers import query

GROUP = -100777


async def test_a_long_digest_comes_in_parts_cut_between_reports(
    store: Store, tmp_path: Path
) -> None:
    codes = [f"SW-AAAA-{n:04d}" for n in range(80)]
    async with store.transaction() as tx:
        for code in codes:
            report = await tx.insert_report(make_report(code))
            await tx.enqueue(GROUP, "{}", now=NOW, report_id=report.id, purpose="card")
        listed = await digest_if_due(tx, GROUP, Rules(), Backlog(), NOW)
    rows = query(
        tmp_path / "suara-warga.sqlite3",
        "SELECT id, payload, first_part FROM outbox WHERE purpose = ? ORDER BY id",
        (DIGEST_PURPOSE,),
    )
    texts = [json.loads(payload)["text"] for _, payload, _ in rows]
    assert listed == 79  # the first card in line stays: it may be on its way
    assert len(texts) >= 2
    assert texts[0].startswith("📋 <b>Ringkasan 79 laporan baru</b>")
    for text in texts:
        parse_text(text, "HTML")  # valid as Telegram parses it
        assert utf16_len(parse_html(text).text) <= TEXT_LIMIT
    for text in texts[1:]:
        assert text.startswith(f"• <b>{codes[0][:8]}")  # a part begins with a report
    whole = "\n".join(texts)
    assert codes[0] not in whole
    assert all(whole.count(code) == 1 for code in codes[1:])
    first = rows[0][0]
    assert [first_part for _, _, first_part in rows] == [None] + [first] * (len(rows) - 1)
