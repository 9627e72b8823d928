"""A road or site under another authority takes over the road bodies' evidence.

When a report names an outside place (`outside_places` in the catalogue: "jalan rusak di
Jalan Raya Merak"), the place's body gains the evidence of the city bodies in its
`takes_over` (DPUPR, Dishub) but a share, and officers see the place, who handles it and
"belum dipastikan" when nobody has checked it with the authority.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flows.catalogue import OutsidePlace
from flows.phrases import Hit


def take_over(
    hits: Sequence[Hit],
    scores: dict[int, tuple[float, list[str]]],
    places: Mapping[tuple[str, ...], OutsidePlace],
    body_ids: Sequence[str],
    kept: float,
) -> set[tuple[str, str]]:
    """Move the taken-over bodies' scores (all but `kept` of each) to the named places'
    bodies, in place; the (taken body, taking body) pairs where some evidence moved."""
    took: set[tuple[str, str]] = set()
    for hit in hits:
        place = places.get(hit.phrase.words)
        if place is None:
            continue
        target = body_ids.index(place.body)
        gained, labels = scores.get(target, (0.0, []))
        labels.append(place_label(place))
        for body_id in place.takes_over:
            slot = body_ids.index(body_id)
            if slot in scores:
                score, own = scores[slot]
                gained += score * (1 - kept)
                scores[slot] = (score * kept, own)
                took.add((body_id, place.body))
        scores[target] = (gained, labels)
    return took


def place_label(place: OutsidePlace) -> str:
    """What officers see when a report names a road or site under another authority."""
    unchecked = ", belum dipastikan" if place.unconfirmed else ""
    return f"{place.name}: {place.authority or place.body}{unchecked}"
