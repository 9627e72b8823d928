"""`suara-warga classify`: route complaint texts to bodies, one JSON object per line.

$ echo "air pdam mati dari kemarin" | suara-warga classify
{"text": "air pdam mati dari kemarin", "candidates": [{"id": "pdam", ...}], ...}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from flows.catalogue import CatalogueError, load_catalogue
from flows.city_pack import DEFAULT_PACK, CityPackError, load_city_pack
from flows.classify import Classifier, classification_json


def run_classify(
    text: str | None,
    stdin: TextIO,
    stdout: TextIO,
    catalogue_path: Path | None = None,
    city: str = DEFAULT_PACK,
) -> int:
    """Classify `text`, or every non-blank line of `stdin`, with the catalogue and words
    of the city pack `city` (or another catalogue file); 2 if the pack or file is bad."""
    try:
        pack = load_city_pack(city)
        catalogue = load_catalogue(catalogue_path) if catalogue_path else pack.catalogue
        labelled = () if catalogue_path else pack.examples
        classifier = Classifier(catalogue, lexicon=pack.lexicon, labelled=labelled)
    except CityPackError as exc:
        stdout.write(json.dumps({"error": str(exc)}, ensure_ascii=False) + "\n")
        return 2
    except (CatalogueError, OSError) as exc:
        stdout.write(json.dumps({"error": f"catalogue: {exc}"}, ensure_ascii=False) + "\n")
        return 2
    lines: Iterable[str] = [text] if text is not None else stdin
    for line in lines:
        complaint = line.strip()
        if not complaint:
            continue
        result = classification_json(complaint, classifier.classify(complaint))
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
