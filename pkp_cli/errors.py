"""The one exit-code table of the tool, and the error that carries a code to the CLI edge."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    BUG = 1
    USAGE = 2
    REJECTED = 65  # completed, but some rows were rejected
    NO_INPUT = 66  # input missing or unreadable (not a workbook, corrupt, encrypted, too large)
    CANT_WRITE = 73
    LOCKED = 75  # another pkp run holds the lock
    CONFIG = 78  # bad schedule, rules or config
    INTERRUPTED = 130  # Ctrl-C (SIGINT): 128 + 2, as shells report it
    TERMINATED = 143  # SIGTERM: 128 + 15


# When several apply, the most severe wins (left = most severe).
SEVERITY = [
    Exit.BUG,
    Exit.INTERRUPTED,
    Exit.TERMINATED,
    Exit.CONFIG,
    Exit.NO_INPUT,
    Exit.CANT_WRITE,
    Exit.LOCKED,
    Exit.USAGE,
    Exit.REJECTED,
    Exit.OK,
]

TABLE = {
    Exit.OK: ("selesai tanpa masalah", "ok"),
    Exit.BUG: ("galat internal pkp (bug)", "internal error (a bug in pkp)"),
    Exit.USAGE: ("penggunaan salah (opsi atau argumen)", "usage error (options or arguments)"),
    Exit.REJECTED: ("selesai, tetapi ada baris yang ditolak", "completed with rows rejected"),
    Exit.NO_INPUT: (
        "masukan tidak ada atau tidak terbaca (bukan workbook, rusak, terenkripsi, terlalu besar)",
        "input missing or unreadable (not a workbook, corrupt, encrypted, over the size bound)",
    ),
    Exit.CANT_WRITE: ("tidak dapat menulis keluaran", "cannot write output"),
    Exit.LOCKED: ("pkp lain sedang berjalan", "another pkp run is in progress"),
    Exit.CONFIG: ("jadwal, aturan, atau konfigurasi salah", "bad schedule, rules or config"),
    Exit.INTERRUPTED: (
        "dihentikan dengan Ctrl-C; berkas setengah jadi dihapus",
        "interrupted (Ctrl-C); partial files removed",
    ),
    Exit.TERMINATED: (
        "dihentikan (SIGTERM); berkas setengah jadi dihapus",
        "terminated (SIGTERM); partial files removed",
    ),
}


def most_severe(*codes: int) -> int:
    present = {int(c) for c in codes}
    for code in SEVERITY:
        if int(code) in present:
            return int(code)
    return max(present) if present else 0


class PkpError(Exception):
    """An expected failure with an exit code and a one-line reason for stderr."""

    def __init__(self, code: Exit, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Terminated(BaseException):
    """Raised by pkp's SIGTERM handler, so a run that is told to stop unwinds like Ctrl-C: temporary files are
    removed on the way out and the exit is one line (a BaseException, so no `except Exception` swallows it)."""


def help_table(lang: str = "id") -> str:
    i = 0 if lang == "id" else 1
    return "\n".join(f"{int(c):>3}  {TABLE[c][i]}" for c in Exit)


class UnknownValue(Exception):
    """A domain lookup that failed (a province, kabupaten, stage, location or program the data or schedule does
    not know). Engines raise it with what was asked and what is near; the CLI says it in the user's language and
    exits USAGE."""

    def __init__(self, option: str, value: str, suggestions: list[str] | None = None, reason: str = "unknown"):
        super().__init__(f"{option} {value}: {reason}")
        self.option = option
        self.value = value
        self.suggestions = list(suggestions or [])
        self.reason = reason  # "unknown" | "not_in_data" | "ambiguous" | "choose" | "outside_filter"
