#!/usr/bin/env python3
"""List what still needs a translator in the catalogs under src/terpadu/locale (pure Python).

Reports, with the line number in the .po file: untranslated entries, fuzzy entries (msgmerge's
guesses, which must be reviewed and their `#, fuzzy` line removed), placeholders that differ between
the English source and the translation (%(name)s, %d, …), a wrong number of plural forms, and a
.mo file that is older than its .po. Exit status 1 when anything is left to do.

    python scripts/check_messages.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compile_messages import LOCALE_DIR, ROOT, Entry, catalogs, compile_po, parse_po  # noqa: E402

PLACEHOLDER_RE = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifr])")


def placeholders(text: str) -> list[str]:
    """The %-placeholders of a python-format string (%% is a literal percent sign)."""
    text = text.replace("%%", "")
    return sorted(f"%({name}){kind}" if name else f"%{kind}" for name, kind in PLACEHOLDER_RE.findall(text))


def plural_count(header: Entry | None) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr[0] if header and header.msgstr else "")
    return int(match.group(1)) if match else None


def entry_problems(entry: Entry, nplurals: int | None) -> list[str]:
    label = f"line {entry.line}: {entry.msgid[:60]!r}"
    if entry.fuzzy:
        return [f"{label} is fuzzy (review it, then remove the '#, fuzzy' line)"]
    if not entry.translated:
        return [f"{label} is not translated"]
    problems = []
    if entry.msgid_plural is not None and nplurals is not None and len(entry.msgstr) != nplurals:
        problems.append(f"{label} has {len(entry.msgstr)} plural forms; the header says {nplurals}")
    if "python-format" in entry.flags:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for form, translation in enumerate(entry.msgstr):
            source = sources[min(form, len(sources) - 1)] if nplurals != 1 else sources[-1]
            if placeholders(translation) != placeholders(source):
                problems.append(
                    f"{label}: placeholders {placeholders(translation)} in the translation, "
                    f"{placeholders(source)} in the source"
                )
    return problems


def problems(po_path: Path, check_mo: bool = True) -> list[str]:
    entries = [e for e in parse_po(po_path.read_text(encoding="utf-8")) if not e.obsolete]
    header = next((e for e in entries if e.is_header), None)
    found = []
    if header is None:
        found.append("no header entry")
    elif header.fuzzy:
        found.append(f"line {header.line}: the header is marked fuzzy (remove the '#, fuzzy' line above it)")
    nplurals = plural_count(header)
    for entry in entries:
        if not entry.is_header:
            found.extend(entry_problems(entry, nplurals))
    mo_path = po_path.with_suffix(".mo")
    if check_mo and (not mo_path.exists() or mo_path.read_bytes() != compile_po(po_path)):
        found.append(f"{mo_path.name} is not up to date: run python scripts/compile_messages.py")
    return found


def main() -> int:
    total = 0
    for po_path in catalogs(LOCALE_DIR):
        found = problems(po_path)
        total += len(found)
        for problem in found:
            print(f"{po_path.relative_to(ROOT)}: {problem}")
    if total:
        print(
            f"{total} thing(s) to do. Translate in the .po file (English source -> formal Indonesian), "
            "then run python scripts/compile_messages.py."
        )
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
