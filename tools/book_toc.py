"""The book's table of contents (``_toc.yml``, Jupyter Book 1) as a list of files."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file listed in ``_toc.yml`` (without suffix), root first, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    stack = list(toc.get("chapters", [])) + [e for p in toc.get("parts", []) for e in p.get("chapters", [])]
    while stack:
        entry = stack.pop(0)
        if "file" in entry:
            files.append(entry["file"])
        stack[:0] = entry.get("sections", [])
    return files
