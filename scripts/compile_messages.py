#!/usr/bin/env python3
"""Compile every gettext catalog (.po) under src/terpadu/locale into a .mo file, in pure Python.

GNU gettext is needed only to *extract* strings (`make messages` runs `makemessages` first).
Compiling needs nothing but Python, and the .mo files are committed, so a fresh machine serves
the translations without gettext installed.

Behaves like `msgfmt`: fuzzy, untranslated and obsolete (#~) entries are left out; msgctxt and
plural forms are supported. The output is deterministic (sorted, no hash table), so an unchanged
catalog compiles to the same bytes and the file is only rewritten when it changed.

    python scripts/compile_messages.py               # compile every catalog
    python scripts/compile_messages.py --check       # exit 1 if a .mo is missing or out of date
    python scripts/compile_messages.py --normalize   # also drop POT-Creation-Date from the .po
                                                     # headers (makemessages rewrites it each run)
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "terpadu" / "locale"
MO_MAGIC = 0x950412DE
CONTEXT_SEPARATOR = "\x04"


class PoError(ValueError):
    pass


@dataclass
class Entry:
    msgid: str = ""
    msgstr: list[str] = field(default_factory=list)  # one form, or one per plural form (msgstr[n])
    msgctxt: str | None = None
    msgid_plural: str | None = None
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def key(self) -> str:
        """The original string as stored in a .mo file."""
        key = self.msgid if self.msgctxt is None else f"{self.msgctxt}{CONTEXT_SEPARATOR}{self.msgid}"
        return key if self.msgid_plural is None else f"{key}\x00{self.msgid_plural}"


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "?": "?",
}
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(f"line {line}: expected a quoted string, got {text!r}")

    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        if code in _ESCAPES:
            return _ESCAPES[code]
        raise PoError(f"line {line}: unknown escape \\{code}")

    return _ESCAPE_RE.sub(replace, text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """The entries of a PO file (header included, obsolete entries marked)."""
    entries: list[Entry] = []
    entry = Entry()
    section: str | None = None  # the keyword the current string continues
    plural_index = 0
    seen_msgstr = False

    def finish() -> None:
        nonlocal entry, section, seen_msgstr
        if section is not None:
            if not seen_msgstr:
                raise PoError(f"line {entry.line}: entry without msgstr")
            entries.append(entry)
        entry, section, seen_msgstr = Entry(), None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            obsolete, line = True, line[2:].strip()
            if line.startswith("|"):  # previous msgid of an obsolete entry
                continue
        if not line:
            if not obsolete:
                finish()
            continue
        if line.startswith("#"):
            if seen_msgstr:
                finish()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith('"'):
            if section is None:
                raise PoError(f"line {number}: a string outside any entry")
            value = _unquote(line, number)
            if section == "msgstr":
                entry.msgstr[plural_index] += value
            else:
                setattr(entry, section, getattr(entry, section) + value)
            continue
        match = _KEYWORD_RE.match(line)
        if match is None:
            raise PoError(f"line {number}: cannot parse {raw!r}")
        keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3), number)
        if keyword in ("msgctxt", "msgid") and seen_msgstr:
            finish()  # a new entry without a blank line in between
        if section is None:
            entry.line = number
        entry.obsolete = entry.obsolete or obsolete
        if keyword.startswith("msgstr"):
            plural_index = int(index) if index is not None else 0
            if plural_index != len(entry.msgstr):
                raise PoError(f"line {number}: msgstr[{plural_index}] out of order")
            entry.msgstr.append(value)
            section, seen_msgstr = "msgstr", True
        else:
            if seen_msgstr or getattr(entry, keyword) not in (None, ""):
                raise PoError(f"line {number}: {keyword} repeated in one entry")
            setattr(entry, keyword, value)
            section = keyword
    finish()
    return entries


def messages(entries: list[Entry]) -> dict[str, str]:
    """What a .mo built from these entries holds: key -> translation (plural forms joined by NUL)."""
    result: dict[str, str] = {}
    for entry in entries:
        if entry.obsolete:
            continue
        if not entry.is_header and (entry.fuzzy or not entry.translated):
            continue
        if entry.key in result:
            raise PoError(f"line {entry.line}: duplicate message {entry.msgid!r}")
        value = "\x00".join(entry.msgstr)
        if entry.is_header:  # like msgfmt: the extraction date is no part of the compiled catalog
            value = re.sub(r"^POT-Creation-Date:.*\n", "", value, flags=re.M)
        result[entry.key] = value
    return result


def make_mo(catalog: dict[str, str]) -> bytes:
    """The GNU .mo format (little endian, revision 0, no hash table), keys in byte order."""
    items = sorted((key.encode(), value.encode()) for key, value in catalog.items())
    count = len(items)
    originals_start = 7 * 4
    translations_start = originals_start + count * 8
    data_start = translations_start + count * 8
    originals, translations, data = [], [], b""
    for key, _value in items:
        originals.append((len(key), data_start + len(data)))
        data += key + b"\x00"
    for _key, value in items:
        translations.append((len(value), data_start + len(data)))
        data += value + b"\x00"
    header = struct.pack("<7I", MO_MAGIC, 0, count, originals_start, translations_start, 0, data_start)
    tables = b"".join(struct.pack("<2I", *pair) for pair in originals + translations)
    return header + tables + data


def compile_po(po_path: Path) -> bytes:
    return make_mo(messages(parse_po(po_path.read_text(encoding="utf-8"))))


def normalize_po(po_path: Path) -> bool:
    """Drop the POT-Creation-Date header line, which makemessages rewrites on every run."""
    text = po_path.read_text(encoding="utf-8")
    cleaned = re.sub(r'^"POT-Creation-Date: [^"]*"\n', "", text, count=1, flags=re.M)
    if cleaned != text:
        po_path.write_text(cleaned, encoding="utf-8")
    return cleaned != text


def catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report .mo files that are missing or stale")
    parser.add_argument("--normalize", action="store_true", help="drop POT-Creation-Date from the .po headers")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)
    stale = 0
    for po_path in catalogs(args.locale_dir):
        if args.normalize and not args.check:
            normalize_po(po_path)
        mo_path = po_path.with_suffix(".mo")
        try:
            compiled = compile_po(po_path)
        except PoError as exc:
            print(f"{po_path}: {exc}", file=sys.stderr)
            return 2
        current = mo_path.read_bytes() if mo_path.exists() else None
        name = mo_path.relative_to(ROOT) if mo_path.is_relative_to(ROOT) else mo_path
        if current == compiled:
            continue
        if args.check:
            print(f"{name} is out of date: run python scripts/compile_messages.py", file=sys.stderr)
            stale += 1
        else:
            mo_path.write_bytes(compiled)
            print(f"compiled {name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
