"""Screen labels in both languages. Stable codes live in data and JSON; people read these labels.

Sections are kept apart so each area adds its own labels without touching the others'.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # --- common ---------------------------------------------------------------------------------------
    "sample_marker": ("DATA CONTOH (bawaan pkp)", "SAMPLE DATA (bundled with pkp)"),
    "data_unavailable": ("data tidak tersedia", "data not available"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    # --- status codes ---------------------------------------------------------------------------------
    "status.selesai": ("selesai", "finished"),
    "status.selesai_terlambat": ("selesai terlambat", "finished late"),
    "status.terlambat": ("terlambat", "late"),
    "status.berjalan": ("berjalan", "in progress"),
    "status.belum_mulai": ("belum mulai", "not started"),
    "status.belum_jadwal": ("belum jadwalnya", "not yet due"),
    # --- status views (issue 4) -----------------------------------------------------------------------
    # --- acceleration, readiness, audit (issue 5) -----------------------------------------------------
}


def label(key: str, lang: str = "id") -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key.rsplit(".", 1)[-1]
    return pair[0 if lang == "id" else 1]
