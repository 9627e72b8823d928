"""Open reports like a new one (same kelurahan and body, recent, similar words).

Before a report is sent, residents see up to three of these and may support one
instead of filing a duplicate; officers see how many residents support a report.
A *rahasia* report is never a candidate; the others are shown only as their public
view (`flows.public_view.public_report`): facts, and the public text once verified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from flows.normalize import normalize
from flows.public_view import PublicReport, public_report
from flows.report import Report

SIMILAR_CUTOFF = 55.0
MAX_SIMILAR = 3


def pick_similar(
    description: str, candidates: Sequence[Report], limit: int = MAX_SIMILAR
) -> list[Report]:
    """The candidates whose text is close to `description`, most similar first; never
    a rahasia report (only its handling officers may read it).

    `token_set_ratio` is not used: it scores 100 for any subset ("jalan" in every road
    report); `token_sort_ratio` and `partial_token_sort_ratio` weigh the whole text.
    """
    mine = normalize(description)
    if not mine:
        return []
    scored = []
    for report in candidates:
        if report.privacy.confidential:
            continue
        theirs = normalize(report.description)
        score = max(
            fuzz.token_sort_ratio(mine, theirs),
            0.9 * fuzz.partial_token_sort_ratio(mine, theirs),
        )
        if score >= SIMILAR_CUTOFF:
            scored.append((score, report))
    scored.sort(key=lambda pair: (-pair[0], pair[1].filed_at))
    return [report for _, report in scored[:limit]]


def similar_views(
    picked: Sequence[Report], supporters: Mapping[int, int]
) -> tuple[PublicReport, ...]:
    """The reports `pick_similar` picked, as other residents may see them (`supporters`:
    how many support each, by id); a rahasia one is left out here too."""
    views = (public_report(report, supporters.get(report.id, 0)) for report in picked)
    return tuple(view for view in views if view is not None)
