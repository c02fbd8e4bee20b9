"""The tables and columns of a command in words, from the column catalogue: for `--help` and the README.

Written once in views/columns.py; this module only lays it out, so help, README and the reports never differ.
"""

from __future__ import annotations

from pkp_cli.views.columns import COLUMNS


def help_epilog(tables: dict[str, list[str]], lang: str, head: str | None = None) -> str:
    """Click epilog text: each table with its column keys, then each column's header and description once.

    Paragraphs start with "\\b" so click keeps the lines as written."""
    en = lang == "en"
    default = ("Tables (CSV: --table NAME; all: --out DIR):", "Tabel (CSV: --table NAMA; semua: --out FOLDER):")
    head = head or (default[0] if en else default[1])
    lines = ["\b", head]
    seen: list[str] = []
    for name, keys in tables.items():
        lines.append(f"  {name}: {', '.join(keys)}")
        seen += [k for k in keys if k not in seen]
    lines += ["", "\b", "Columns:" if en else "Kolom:"]
    for key in seen:
        c = COLUMNS[key]
        lines.append(f"  {key} ({c.header(lang)}): {c.description(lang)}")
    return "\n".join(lines)


def readme_reference(command: str, tables: dict[str, list[str]]) -> str:
    """The README's command reference of one command (English), generated; a test keeps README and model equal."""
    lines = [f"#### `pkp {command}`", "", "| table | columns |", "|---|---|"]
    seen: list[str] = []
    for name, keys in tables.items():
        lines.append(f"| `{name}` | {', '.join(f'`{k}`' for k in keys)} |")
        seen += [k for k in keys if k not in seen]
    lines += ["", "| column | header (id / en) | meaning |", "|---|---|---|"]
    for key in seen:
        c = COLUMNS[key]
        lines.append(f"| `{key}` | {c.label[0]} / {c.label[1]} | {c.desc[1]} |")
    return "\n".join(lines) + "\n"
