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
from flows.classify import Classifier, classification_json


def run_classify(
    text: str | None, stdin: TextIO, stdout: TextIO, catalogue_path: Path | None = None
) -> int:
    """Classify `text`, or every non-blank line of `stdin`; 2 if the catalogue is bad."""
    try:
        classifier = Classifier(load_catalogue(catalogue_path))
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
