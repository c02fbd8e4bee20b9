"""A cache of loaded, validated data, so the analyst's second, third and tenth command in a row are quick.

Two kinds of entries:

- A load entry holds a whole load result. It is keyed by everything that decides the result: pkp's version,
  the region reference, the schedule's sha256, the load options, today's date (report dates in the future are
  errors) and, for every file found, its name, size, modification time and inode. Entries hold only data pkp
  wrote itself: three Arrow IPC files and one JSON file (no pickle), written to a temporary folder and renamed
  into place. The KEEP_ENTRIES most recently used are kept.
- A file entry holds one file's parsed and row-checked records (pkp_cli.ingest.units), keyed by pkp's
  version, the region reference, the schedule's stage names (they find wide-form stage columns), the
  options that affect reading, and the file's path, name, size, modification time and inode. When a folder
  changes (next week's workbooks arrive), only the new and changed files are read; the cross-file checks run
  again on all. One file per entry: FILE_MAGIC, a JSON header, then Arrow IPC streams (no pickle), written
  to a temporary name and renamed into place; at most MAX_FILE_ENTRIES entries and MAX_FILE_BYTES bytes,
  the least recently used pruned first. A big table's columns that need no bytes (a cell-as-written column
  equal to its parse, an empty column, row numbers) are left out and put back on reading (`_slim`).

Any change makes a new key; stale entries are never read. An entry that cannot be read back completely is
not trusted: it is removed (when it is pkp's own) and rebuilt, with a note on stderr. What pkp did not write
under an entry's name (a link, a FIFO, a folder, a file without its marker) is never read, removed or written
over, and is said to be left alone; an entry pkp cannot read (another user's) is said not to be used; a cache it
cannot write (read-only) is used as it is. The whole cache is safe to delete.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import operator
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from pkp_cli.model.frames import FRAMES  # no pandas at import: its frames are types only there

KEEP_ENTRIES = 8
# pkp deletes only what it created: entries are folders named ENTRY_PREFIX + 32 hex digits holding MARKER with
# MARKER_TEXT, temporary folders TMP_PREFIX + random holding the same marker. A cache_dir that points at a
# user's folder never loses anything else. (An empty cache_dir is refused by the config, settings.py.)
ENTRY_PREFIX = "pkp-load-"
TMP_PREFIX = ".pkp-load-tmp-"
MARKER = ".pkp-cache-entry"
MARKER_TEXT = "pkp-cli load cache entry v1\n"
_ENTRY_NAME = re.compile(r"^pkp-load-[0-9a-f]{32}$")
_TMP_NAME = re.compile(r"^\.pkp-load-tmp-[A-Za-z0-9_]+$")
STALE_TMP_SECONDS = 3600  # a temporary folder this old was left by a killed run

# File entries: a regular file named FILE_PREFIX + 32 hex digits + FILE_SUFFIX that starts with FILE_MAGIC;
# a temporary one is FILE_TMP_PREFIX + random and starts with the same magic.
FILE_PREFIX = "pkp-file-"
FILE_SUFFIX = ".pkpc"
FILE_TMP_PREFIX = ".pkp-file-tmp-"
FILE_MAGIC = b"pkp-cli file cache entry v1\n"
# The layout of an entry (2: columns left out by `_slim`, rebuilt on reading; 3: a CRC-32 of each file entry's
# header and body, and of each load entry's files, checked before any byte is parsed). Part of every entry's key,
# so a build of the same version with another layout never meets this one's entries (it would read them as
# damaged, note it and rebuild on every run, each build in turn).
# (4: each entry holds its own key, checked on reading: an entry renamed to another's name, as when two entries'
# files were swapped, is not trusted. 5: a load entry's crc32.json holds each file's size beside its CRC-32, so a
# file grown since, by any amount, is refused by its size before a byte of it is read into memory. 6: a load
# entry's frames may hold text columns as dictionaries, named in the schema's metadata: `_table`.)
ENTRY_LAYOUT = 6
KEY_FIELD = "key"  # an entry's own key, in its header (a file entry) or meta.json (a load entry)
_FILE_NAME = re.compile(r"^pkp-file-[0-9a-f]{32}\.pkpc$")
_FILE_TMP_NAME = re.compile(r"^\.pkp-file-tmp-[A-Za-z0-9_]+$")
MAX_FILE_ENTRIES = 20_000
MAX_FILE_BYTES = 1 << 30
COMPRESS_ABOVE_BYTES = 1 << 20
# How big tables are compressed (Arrow codec name, level). A loaded file's records are read back only when its
# folder changed: zstd at level 1 writes them about as fast as lz4 and in a third of the bytes (the national
# CSV's 427 MB of records: 29 MB instead of 88 MB, and the in-memory stream's fresh pages cost a cold run more
# system time than the compression; again measured on the slimmed records, 229 MB: lz4 saved 0.14 s of the writing
# thread's CPU and cost as much more system time, under load). Derived frames that a warm run reads (the status
# frame) keep lz4, which reads back two to three times faster.
FILE_CODEC = ("zstd", 1)
DERIVED_CODEC = ("lz4", None)


def cache_key(parts: dict[str, Any], files: list[tuple[Path, str]]) -> str:
    from pkp_cli import __version__
    from pkp_cli.model.regions import REFERENCE_EDITION

    h = hashlib.sha256()
    head = {"version": __version__, "layout": ENTRY_LAYOUT, "reference": REFERENCE_EDITION, **parts}
    h.update(json.dumps(head, sort_keys=True).encode())
    for path, shown in files:
        try:
            st = path.stat()
            h.update(f"\n{shown}\0{identity(st)}".encode())
        except OSError:
            h.update(f"\n{shown}\0unreadable".encode())
    return h.hexdigest()[:32]


def identity(st: os.stat_result) -> str:
    """A file as it is now, for a cache key: size, modification time, inode, and the inode's change time, which
    every write sets and no user command can set back (`touch -r` restores the modification time only: an edit of
    the same size with its time put back kept the old key, and a cached answer from before the edit was shown).
    The change time also moves on chmod, chown or rename: then the file is only read again."""
    return f"{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0{st.st_ctime_ns}"


def identity_of(path: Path) -> str | None:
    """`identity` of the file at `path` now; None when it cannot be looked at."""
    try:
        return identity(path.stat())
    except OSError:
        return None


def files_under(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every file under `paths` (none opened), for a load entry's key: a superset of the files a load reads,
    so any change to one of them, or a file added or removed, makes another key."""
    out: list[tuple[Path, str]] = []
    for root in paths:
        if not root.is_dir():
            out.append((root, str(root)))
            continue
        found: list[Path] = []
        # Links to folders are not followed (no loops), and nothing is opened: a FIFO is only listed.
        for folder, _dirs, names in os.walk(root):
            found.extend(Path(folder) / n for n in names)
        out.extend((p, str(p)) for p in sorted(found))
    return out


def is_ours(path: Path, name_pattern: re.Pattern[str] = _ENTRY_NAME, cut_short: bool = False) -> bool:
    """A folder pkp created as a cache entry (or temporary entry): its name and its marker say so. With
    `cut_short` (a temporary folder): also one whose writing stopped early, as on a full disk (nothing in it yet,
    or its marker cut short), holding nothing but what pkp writes there."""
    try:
        if not (name_pattern.match(path.name) and path.is_dir() and not path.is_symlink()):
            return False
        if not cut_short:
            return _read(path / MARKER, len(MARKER_TEXT) + 1) == MARKER_TEXT.encode()
        names = set(os.listdir(path))
        if not names <= _ENTRY_FILES:
            return False
        return not names or (MARKER in names and _cut_short(_read(path / MARKER, len(MARKER_TEXT) + 1), MARKER_TEXT))
    except (OSError, UnicodeDecodeError):
        return False


def _cut_short(head: bytes, magic: str | bytes) -> bool:
    """`head` is the whole of `magic` or a beginning of it (nothing included): what a write stopped early leaves."""
    whole = magic.encode() if isinstance(magic, str) else magic
    return whole.startswith(head[: len(whole)])


def _remove(path: Path, name_pattern: re.Pattern[str] = _ENTRY_NAME, cut_short: bool = False) -> None:
    """Remove pkp's entry folder `path`: the files pkp writes there (regular files under their names), the marker
    last, then the folder once empty. Anything else inside (somebody's file, a FIFO, a folder) is not pkp's and
    stays, and so does the folder, no longer marked as an entry (`_save_tables` then says why the load is not
    kept)."""
    if not is_ours(path, name_pattern, cut_short):
        return
    for name in [*sorted(_ENTRY_FILES - {MARKER}), MARKER]:
        child = path / name
        with contextlib.suppress(OSError):
            if stat.S_ISREG(child.lstat().st_mode):
                child.unlink()
    with contextlib.suppress(OSError):
        path.rmdir()


def issue_to_json(issue: Any) -> dict[str, Any]:
    # the fields as they are (text, numbers, None), in their order: `asdict` would copy each one deeply, and
    # params (tuples of tuples) are made anew just below; a cold national load writes some 20,000 issues (the
    # field names looked up once per class: `fields` per issue was half of the 30 ms the national CSV's 3,080
    # warnings took, on the thread that writes the load entry while the command prints)
    names, values = _issue_fields(issue.__class__)
    d = dict(zip(names, values(issue), strict=True))
    d["params"] = [[k, v if isinstance(v, (str, int, float, bool)) or v is None else str(v)] for k, v in issue.params]
    return d


@functools.cache
def _issue_fields(kind: Any) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    names = tuple(f.name for f in fields(kind))
    get = operator.attrgetter(*names)
    return names, (get if len(names) > 1 else lambda issue: (get(issue),))


def issue_from_json(d: dict[str, Any]) -> Any:
    from pkp_cli.model.issues import Issue

    return Issue(**{**d, "params": tuple((k, v) for k, v in d["params"])})


def save(folder: Path, key: str, result: Any) -> None:
    """Write one entry; any failure leaves the cache as it was (the cache is an optimisation only). The writing may
    run beside the command (ingest/background.py), and so may the frames' making into Arrow tables and the issues'
    into JSON (about 0.05 s of the national load's 3,080 warnings and 1.66 M rows, which the command's output no
    longer waits for): what crosses is shallow copies of the frames, which under pandas' copy-on-write no later
    change of the caller's frame reaches, and copies of the lists of issues, which are frozen."""
    from pkp_cli.ingest import background

    try:
        frames = {name: getattr(result, name).copy(deep=False) for name in FRAMES}
        codes, result.text_codes = dict(result.text_codes), {}  # (the result no longer holds them: the write does)
        meta = _meta(result, key, {n: list(frame.columns) for n, frame in frames.items()})
    except (ValueError, TypeError, KeyError, AttributeError):
        return
    background.later(_save_entry, folder, key, frames, meta, codes, size=sum(map(_frame_bytes, frames.values())))


def _meta(result: Any, key: str, columns: dict[str, list[str]]) -> dict[str, Any]:
    """A load entry's meta.json (before its issues are made JSON, `_issues_json`): all of the load but its frames."""
    meta = {
        "files": [{"path": f.path, "sheets": [asdict(s) for s in f.sheets]} for f in result.files],
        "errors": list(result.errors),
        "warnings": list(result.warnings),
        "unreadable": list(result.unreadable),
        "errors_total": result.errors_total,
        "warnings_total": result.warnings_total,
        "ignored": [list(x) for x in result.ignored],
        "lokasi_missing_columns": sorted(result.lokasi_missing_columns),
        "lokasi_rejected": result.lokasi_rejected,
        "columns": columns,
        KEY_FIELD: key,
    }
    meta["dated_reports"], meta["report_years"] = report_dates(result.progres)
    return meta


def _issues_json(meta: dict[str, Any]) -> str:
    for part in ("errors", "warnings", "unreadable"):
        meta[part] = [issue_to_json(i) for i in meta[part]]
    return json.dumps(meta, ensure_ascii=False)


class EntryWriter:
    """The load's own entry written while the load goes on (a cold command's end waited for all of it: 0.1-0.2 s of
    the national CSV's first `pkp validate`): each frame as soon as the load has made it (`frame`: the location
    frame before the progress rows are checked, the progress frame before the superseded check and the issues),
    on one thread beside the load; the meta when the load is done (`seal`), and only then is the entry renamed into
    place. `abort`, or any failure in the writing, leaves no entry (its temporary folder removed).

    Only where the command defers its writes (ingest/background.py) and the frames are worth a thread: else every
    frame is held and written at `seal` exactly as `save` writes a load (library use and tests; a folder of small
    workbooks, whose frames are written on the command's thread at its end)."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self._held: dict[str, tuple[Any, dict[str, Any]]] = {}
        self._queue: Any = None  # queue.Queue of frames, then the meta (or None: abort), once the thread runs

    def frame(self, name: str, frame: Any, codes: dict[str, Any] | None) -> None:
        """`frame` (the load's, as it stays: a shallow copy crosses) and its text columns' codes (let go here)."""
        from pkp_cli.ingest import background

        item = (frame.copy(deep=False), dict(codes or {}))
        if self._queue is not None:
            self._queue.put((name, *item))
            return
        self._held[name] = item
        if background.deferring_now() and _held_bytes(self._held) >= background.SMALL_WRITE_BYTES:
            import queue

            self._queue = queue.Queue()
            for held in self._held.items():
                self._queue.put((held[0], *held[1]))
            self._held.clear()
            background.later(_write_queued, self.folder, self.key, self._queue)

    def seal(self, result: Any) -> None:
        """The load is done: its meta, and the entry is whole (else, no thread: `save` writes it all now)."""
        if self._queue is None:
            result.text_codes = {name: codes for name, (_, codes) in self._held.items() if codes}
            self._held.clear()
            save(self.folder, self.key, result)
            return
        result.text_codes = {}
        try:
            meta = _meta(result, self.key, {n: list(getattr(result, n).columns) for n in FRAMES})
        except (ValueError, TypeError, KeyError, AttributeError):
            meta = None
        self._queue.put(("meta", meta))
        self._queue = None

    def abort(self) -> None:
        """The load failed: no entry (the frames written so far removed)."""
        self._held.clear()
        if self._queue is not None:
            self._queue.put(None)
            self._queue = None


def _held_bytes(held: dict[str, tuple[Any, Any]]) -> int:
    return sum(_frame_bytes(frame) for frame, _ in held.values())


def _write_queued(folder: Path, key: str, items: Any) -> None:
    """`EntryWriter`'s thread: each frame as it comes, then the meta (None: abort); the folder renamed into place
    only when every frame file and the meta are written."""
    tmp: Path | None = None
    sums: dict[str, list[int]] = {}
    failed = False
    while True:
        item = items.get()
        if item is None or item[0] == "meta":
            break
        if failed:
            continue  # (the rest is drained: the load goes on putting its frames)
        name, frame, codes = item
        try:
            if tmp is None:
                tmp = _entry_tmp(folder)
            _frame_file(tmp, name, _table(frame, codes), sums)
        except (OSError, ValueError, TypeError, KeyError, ImportError):
            failed = True
        del frame, codes, item
    meta = item[1] if item is not None else None
    if failed or meta is None or tmp is None or set(sums) != {f"{n}.arrow" for n in FRAMES}:
        if tmp is not None:
            _remove(tmp, _TMP_NAME, cut_short=True)
        return
    try:
        _seal(folder, key, tmp, sums, _issues_json(meta))
    except (ValueError, TypeError, KeyError):
        _remove(tmp, _TMP_NAME, cut_short=True)


def _frame_bytes(frame: Any) -> int:
    """About the bytes of a frame's data (a text column of Python objects counted at 8 a row): what its
    writing has to serialise, for `background.later`."""
    return int(frame.memory_usage(index=False, deep=False).sum())


def tables_bytes(tables: Iterable[Any]) -> int:
    """The bytes of Arrow tables' buffers: what their writing has to serialise, for `background.later`."""
    return sum(table.nbytes for table in tables)


def _save_entry(folder: Path, key: str, frames: dict[str, Any], meta: dict[str, Any],
                codes: dict[str, dict[str, tuple[Any, Any]]]) -> None:  # fmt: skip
    try:
        tables = {name: _table(frames.pop(name), codes.pop(name, None)) for name in list(frames)}
        text = _issues_json(meta)
    except (ValueError, TypeError, KeyError, ImportError):
        return
    _save_tables(folder, key, tables, text)


def _save_tables(folder: Path, key: str, tables: dict[str, Any], meta: str) -> None:
    tmp: Path | None = None
    try:
        tmp = _entry_tmp(folder)
        sums: dict[str, list[int]] = {}
        for name, table in tables.items():
            _frame_file(tmp, name, table, sums)
        _seal(folder, key, tmp, sums, meta)
    except (OSError, ValueError, TypeError, ImportError):
        if tmp is not None:
            _remove(tmp, _TMP_NAME, cut_short=True)  # (a full disk stops it anywhere, the marker included)


def _entry_tmp(folder: Path) -> Path:
    """A new load entry's temporary folder in `folder`, marked as pkp's (so that pruning may remove it if left);
    removed again when the marker cannot be written (a full disk cuts it short)."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=TMP_PREFIX))
    try:
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except OSError:
        _remove(tmp, _TMP_NAME, cut_short=True)
        raise
    return tmp


def _frame_file(tmp: Path, name: str, table: Any, sums: dict[str, list[int]]) -> None:
    """One frame's file in an entry's temporary folder; its CRC-32 and size into `sums`."""
    path = tmp / f"{name}.arrow"
    sums[path.name] = [_write_table(path, table), path.stat().st_size]


def _seal(folder: Path, key: str, tmp: Path, sums: dict[str, list[int]], meta: str) -> None:
    """A load entry's temporary folder, its frame files written (`sums`), made whole: meta.json and crc32.json
    written, then renamed into place (or removed when another pkp run kept the same load meanwhile)."""
    try:
        text = meta.encode("utf-8")
        sums["meta.json"] = [crc32(text), len(text)]
        (tmp / "meta.json").write_bytes(text)
        (tmp / SUMS).write_text(json.dumps(sums), encoding="utf-8")
        target = folder / (ENTRY_PREFIX + key)
        if os.path.lexists(target):
            _remove(tmp, _TMP_NAME)
            if not is_ours(target):  # (else another pkp run kept the same load meanwhile)
                from pkp_cli.ingest.cache_notes import say

                say(f"pkp: cache {target}: bukan milik pkp, dibiarkan; muatan ini tidak disimpan / not pkp's, left "
                    "alone; this load is not kept")  # fmt: skip
            return
        os.replace(tmp, target)
        _prune(folder)
    except OSError:
        _remove(tmp, _TMP_NAME, cut_short=True)  # (a full disk stops it anywhere, the marker included)


def _table(frame: Any, codes: dict[str, tuple[Any, Any]] | None = None) -> Any:
    """A frame as an Arrow table with its pandas dtypes (read back with next to no decoding). `codes`: the
    factorisation of text columns by name (LoadResult.text_codes), each written as an Arrow dictionary of that
    text, named in the schema's metadata (TEXT_DICTIONARIES) and made text again when read (`_text_again`). The
    national CSV's progress frame, written at a cold command's end while it waits: 42 MB in 0.13-0.15 s as text,
    22 MB in 0.07-0.08 s so."""
    import pyarrow as pa

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except pa.ArrowException as exc:
        raise ValueError(str(exc)) from None
    encoded = []
    for name, (indices, uniques) in (codes or {}).items():
        i = table.schema.get_field_index(name)
        if i < 0 or len(indices) != table.num_rows:
            continue
        column = dictionary_array(indices, uniques, table.schema.field(i).type, bool(table.column(i).null_count))
        if column is not None:
            table = table.set_column(i, pa.field(name, column.type), column)
            encoded.append(name)
    if encoded:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), TEXT_DICTIONARIES: json.dumps(encoded)})
    return table


def dictionary_array(codes: Any, uniques: Any, value_type: Any, has_missing: bool) -> Any | None:
    """The Arrow dictionary of a text column from its factorisation (`codes`, -1 for a missing value, and the
    distinct values `uniques`, a pandas Index over Arrow text): the very same text, when the values are of
    `value_type`; else None (the column is written as text)."""
    import numpy as np
    import pyarrow as pa

    values = getattr(getattr(uniques, "array", None), "_pa_array", None)
    if values is None:
        return None
    dictionary = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if dictionary.type != value_type:
        return None
    # The codes in the narrowest integer that holds them all (a program or stage: one byte a row, not four): less
    # for the entry's compression to go through, and for its reader to check.
    width = next((t for t in (np.int8, np.int16, np.int32) if len(dictionary) <= np.iinfo(t).max), None)
    if width is None:
        return None
    indices: np.ndarray = np.asarray(codes, dtype=width)
    # use_na_sentinel: -1 is a missing value, which only a column with missing values has (no scan of the codes
    # on the main thread without them). The codes are Arrow's own dictionary_encode's, within the values: not
    # checked here (`safe=False`, 1.5 ms a column of 1.66 M rows); an entry's reader checks them (cache.load_file,
    # cache.load).
    missing = indices < 0 if has_missing else None
    return pa.DictionaryArray.from_arrays(pa.array(indices, mask=missing), dictionary, safe=False)


# A frame file's schema metadata key: the text columns written as Arrow dictionaries (`_table`), a JSON list.
TEXT_DICTIONARIES = b"pkp-text-dictionaries"


def _text_again(table: Any) -> Any:
    """`table` with the columns `_table` wrote as dictionaries made text again (their codes checked first: Arrow
    reads codes outside their values without a word); any other dictionary is a categorical frame column."""
    import pyarrow as pa

    listed = (table.schema.metadata or {}).get(TEXT_DICTIONARIES)
    if listed is None:
        return table
    names = json.loads(listed)
    if not isinstance(names, list):
        raise ValueError(f"{TEXT_DICTIONARIES.decode()}: not a list")
    _check_dictionaries(table)
    for name in names:
        i = table.schema.get_field_index(name) if isinstance(name, str) else -1
        kind = table.schema.field(i).type if i >= 0 else None
        if kind is None or not pa.types.is_dictionary(kind) or not _is_text(kind.value_type):
            raise ValueError(f"{TEXT_DICTIONARIES.decode()}: {name!r} is no dictionary of text")
        table = table.set_column(i, pa.field(name, kind.value_type), table.column(i).cast(kind.value_type))
    return table


def _write_table(path: Path, table: Any) -> int:
    """An Arrow IPC file (a warm `pkp status` on the national data reads 1.66 M rows), compressed only when big,
    on Arrow's threads (a cold `pkp validate` of the national CSV waits for its 185 MB of progress frame at its
    end, with the other core idle: 0.10 s against 0.16 s in process); returns the CRC-32 of its bytes."""
    import pyarrow as pa

    small = table.nbytes <= COMPRESS_ABOVE_BYTES
    big = not small and pa.Codec.is_available("lz4_frame")
    options = pa.ipc.IpcWriteOptions(compression="lz4" if big else None, use_threads=True)
    if small:
        # A small table is made in memory and written at once: streamed, Arrow hands each buffer and padding to
        # the Python file object one at a time (a few thousand calls for the sample's 0.6 MB progress frame).
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema, options=options) as writer:
            writer.write_table(table)
        data = sink.getvalue()
        path.write_bytes(memoryview(data))
        return crc32(data)
    with path.open("wb") as fh:
        summed = _Summed(fh)
        with pa.ipc.new_file(pa.PythonFile(summed, mode="w"), table.schema, options=options) as writer:
            writer.write_table(table)
    return summed.crc


def _read_frame(path: Path, sum_of: tuple[int, int]) -> Any:
    """A load entry's frame file, whose CRC-32 and size crc32.json gives (`sum_of`)."""
    import pandas as pd
    import pyarrow as pa

    crc, size = sum_of
    # Read into memory, not mapped: another pkp run may prune the entry while this one uses it. Checked before
    # Arrow parses a byte: a damaged buffer is not always an error to Arrow (bad offsets crashed the process).
    data = _read(path, size)
    if crc32(data) != crc:
        raise ValueError(f"{path.name}: checksum")
    table = _text_again(pa.ipc.open_file(pa.py_buffer(data)).read_all())
    del data
    texts = [f.name for f in table.schema if pa.types.is_dictionary(f.type) and _is_text(f.type.value_type)]
    # column by column, freeing each Arrow column once converted (no second copy of the frame at the peak)
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    for name in texts:
        # A categorical of no values (the sheet of every row of a CSV) comes back with categories of Python
        # objects; the load made them text (pandas' str), as every other categorical of text comes back.
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype) and not len(column.cat.categories):
            frame[name] = column.cat.set_categories(column.cat.categories.astype("str"))
    return frame


def _is_text(arrow_type: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type))


SUMS = "crc32.json"  # a load entry's CRC-32 and size of meta.json and of each frame file
SUMS_MAX_BYTES = 1 << 16  # (a few hundred bytes)
_ENTRY_FILES = {MARKER, "meta.json", SUMS, *(f"{name}.arrow" for name in FRAMES)}  # all a load entry holds


class NotAnEntry(OSError):
    """Something under an entry's name that pkp does not read: not a regular file, or bigger than any entry."""


def _open(path: Path) -> int:
    """A descriptor of a regular file in the cache: anything else under an entry's name (a FIFO would block the
    read forever, a device never end it) is NotAnEntry, an OSError as a missing file is."""
    from pkp_cli.model.regular_file import NotRegularFile, open_regular

    try:
        return open_regular(path, follow_links=False)  # pkp writes no link: one here is not its entry
    except NotRegularFile as exc:
        raise NotAnEntry(f"{path.name}: not a regular file ({exc.kind})") from None


def _read(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes (see `_open`), at most `limit` of them (more is NotAnEntry)."""
    from pkp_cli.model.regular_file import NotRegularFile, TooLarge, read_regular_file

    try:
        return read_regular_file(path, limit, follow_links=False)
    except NotRegularFile as exc:
        raise NotAnEntry(f"{path.name}: not a regular file ({exc.kind})") from None
    except TooLarge as exc:
        raise NotAnEntry(f"{path.name}: more than {exc.limit} bytes") from None


def crc32(data: Any, value: int = 0) -> int:
    """CRC-32 (zlib's) of `data` (any buffer), continuing from `value`: ISA-L's, several times zlib's speed."""
    from isal import isal_zlib

    return int(isal_zlib.crc32(data, value))


class _Summed:
    """A binary file that keeps the CRC-32 of what is written through it (for pyarrow's PythonFile)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.crc = 0

    def write(self, data: Any) -> int:
        self.crc = crc32(data, self.crc)
        return int(self.fh.write(data))

    def flush(self) -> None:
        self.fh.flush()

    def tell(self) -> int:
        return int(self.fh.tell())

    @property
    def closed(self) -> bool:
        return bool(self.fh.closed)

    def close(self) -> None:  # the caller closes the file it opened
        return None


def load(folder: Path, key: str, rebuild: Callable[[], Any] | None = None) -> Any | None:
    """The entry for `key`, or None (missing or unreadable: the caller loads from the workbooks).

    With `rebuild` (the load from the workbooks), the frames are read on first use only (LazyLoadResult): a
    warm run that needs only the accounting reads none of the 1.66 M progress rows. Their files are opened at
    once (schema and footer: a truncated or foreign file misses here); a frame that still cannot be read in
    full later is noted like any broken entry and comes from `rebuild` instead.
    """

    from pkp_cli.model import frames as shapes
    from pkp_cli.model.frames import LazyLoadResult
    from pkp_cli.model.issues import FileReport, SheetReport

    entry = folder / (ENTRY_PREFIX + key)
    if not _entry_usable(entry):
        return None
    try:
        sums = _json(_read(entry / SUMS, SUMS_MAX_BYTES))
        if not isinstance(sums, dict):
            raise ValueError(f"{SUMS}: not a mapping")
        crc, size = _sum_of(sums, "meta.json")
        text = _read(entry / "meta.json", size)  # (bigger than it was written: refused before it is read)
        if crc32(text) != crc:
            raise ValueError("meta.json: checksum")
        crcs = {name: _sum_of(sums, f"{name}.arrow") for name in FRAMES}
        meta = _json(text)
        _same_key(meta, key)
        # A valid Arrow file holding another table is as broken as an unreadable one.
        frames: dict[str, Any] = {}
        for name in FRAMES:
            path = entry / f"{name}.arrow"
            columns = _frame_columns(path) if rebuild is not None else None
            if columns is None:
                frames[name] = _read_frame(path, crcs[name])
                columns = list(frames[name].columns)
            if columns != meta["columns"][name] or not set(shapes.FRAME_COLUMNS[name]) <= set(columns):
                raise ValueError(f"{name}.arrow: unexpected columns")
        _touch(entry)  # recently used entries survive pruning
        result = LazyLoadResult(
            _frame_reader(entry, meta["columns"], crcs, rebuild),
            {name: _issues_later(meta[name]) for name in ("errors", "warnings")},
            files=[FileReport(f["path"], [SheetReport(**s) for s in f["sheets"]]) for f in meta["files"]],
            errors_total=meta["errors_total"],
            warnings_total=meta["warnings_total"],
            ignored=[tuple(x) for x in meta["ignored"]],
            unreadable=[issue_from_json(d) for d in meta["unreadable"]],
            lokasi_missing_columns=set(meta["lokasi_missing_columns"]),
            lokasi_rejected={str(k): str(v) for k, v in meta["lokasi_rejected"].items()},
            timings={"cache": 0.0},
            dated_reports=_str_list(meta.get("dated_reports")),
            report_years=_int_list(meta.get("report_years")),
        )
        for name, frame in frames.items():  # read already (no rebuild given)
            setattr(result, name, frame)
        return result
    except PermissionError as exc:  # another user's entry (one `sudo pkp` run): not used, not touched
        note_unreadable(entry, exc)
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, ArithmeticError,
            UnicodeDecodeError) as exc:  # fmt: skip
        # pkp's own broken entry (a file of it missing too: was, meta.json missing, never rebuilt) is rebuilt by
        # this load; what was put inside it that is not pkp's stays, said where the load would be kept (`_save_tables`).
        note_corrupt(entry, exc)
        _remove(entry)
        return None


def _sum_of(sums: dict[str, Any], name: str) -> tuple[int, int]:
    """The CRC-32 and size crc32.json gives the file `name` of a load entry."""
    got = sums.get(name)
    if not (isinstance(got, list) and len(got) == 2 and all(type(v) is int and v >= 0 for v in got)):
        raise ValueError(f"{SUMS}: {name}")
    return got[0], got[1]


def _entry_usable(entry: Path) -> bool:
    """Whether the load entry folder `entry` is there to be read: pkp's (its name and marker), readable. Missing:
    no. Not pkp's (a file, a link, a folder without the marker): no, quietly (said where the load would be kept,
    `_save_tables`). pkp's, cut short (its marker empty or half written, as a crash leaves it): removed, with a note.
    Not readable (another user's): no, with a note."""
    try:
        entry.lstat()
        if is_ours(entry):
            return True
        if entry.is_dir() and not entry.is_symlink():
            os.listdir(entry)  # a folder that cannot be read says so here
            _read(entry / MARKER, len(MARKER_TEXT) + 1)
    except FileNotFoundError:
        return False
    except PermissionError as exc:
        note_unreadable(entry, exc)
        return False
    except OSError:
        pass  # (the marker missing or not a file: judged below)
    if is_ours(entry, cut_short=True):
        note_corrupt(entry, ValueError("marker cut short"))
        _remove(entry, cut_short=True)
    return False


def _json(data: bytes) -> Any:
    """JSON from a cache file, as ValueError when it is not (a text nested deeper than Python's recursion limit
    raises RecursionError in the parser: an entry's damage, not pkp's error)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None


def _touch(path: Path) -> None:
    """Mark an entry as just used (pruning keeps the most recently used); a cache pkp can read but not write (a
    read-only copy, another user's) is used as it is."""
    with contextlib.suppress(OSError):
        os.utime(path, follow_symlinks=False)


def _issues_later(raw: Any) -> Callable[[], list[Any]]:
    """The entry's issues, made into Issue objects on first use (a status report shows none of them); checked
    now, so that making them later cannot fail (a broken entry is found while it can still be rebuilt)."""
    from dataclasses import fields

    from pkp_cli.model.issues import Issue

    names = {f.name for f in fields(Issue)}
    if not isinstance(raw, list) or not all(
        isinstance(d, dict)
        and d.keys() == names
        and isinstance(d["params"], list)
        and all(isinstance(p, list) and len(p) == 2 for p in d["params"])
        for d in raw
    ):
        raise ValueError("meta.json: not a list of issues")
    return lambda: [issue_from_json(d) for d in raw]


def _frame_columns(path: Path) -> list[str] | None:
    """The column names of a frame file, from its schema and footer alone (no rows read)."""
    import pyarrow as pa

    try:
        with os.fdopen(_open(path), "rb") as fh:
            return list(pa.ipc.open_file(pa.PythonFile(fh, mode="r")).schema.names)
    except pa.ArrowException as exc:
        raise ValueError(f"{path.name}: {exc}") from None


def _frame_reader(entry: Path, columns: dict[str, list[str]], crcs: dict[str, tuple[int, int]],
                  rebuild: Callable[[], Any] | None) -> Callable[[str], dict[str, Any]]:  # fmt: skip
    def read(name: str) -> dict[str, Any]:
        import pyarrow as pa

        try:
            frame = _read_frame(entry / f"{name}.arrow", crcs[name])
            if list(frame.columns) != columns[name]:
                raise ValueError(f"{name}.arrow: unexpected columns")
            return {name: frame}
        except (OSError, ValueError, KeyError, TypeError, IndexError, pa.ArrowException) as exc:
            if isinstance(exc, PermissionError):
                note_unreadable(entry, exc)
            elif isinstance(exc, FileNotFoundError):
                # Pruned by another pkp run (after 8 newer loads) while this one still used it: not damage.
                from pkp_cli.ingest.cache_notes import say

                say(
                    f"pkp: cache {entry}: dihapus oleh proses pkp lain, dimuat ulang / removed by another pkp run, "
                    "reloaded"
                )
            else:
                note_corrupt(entry, exc)
            if not isinstance(exc, PermissionError):
                _remove(entry)
            if rebuild is None:
                raise
            fresh = rebuild()
            return {n: getattr(fresh, n) for n in FRAMES}

    return read


def _str_list(value: Any) -> list[str] | None:
    return [str(v) for v in value] if isinstance(value, list) else None


def _int_list(value: Any) -> list[int] | None:
    return [int(v) for v in value] if isinstance(value, list) else None


MAX_REPORT_DATES = 10_000  # more distinct report dates than this: not kept (the frame answers instead)


def report_dates(progres: Any) -> tuple[list[str] | None, list[int]]:
    """The distinct report dates of dated reports (ISO timestamps) and the years of all report dates: what the
    status date (the newest dated report) and the newest report before a date are computed from."""
    import pandas as pd

    if progres.empty:
        return [], []
    stamps = pd.to_datetime(progres["tanggal_laporan"])
    undated = progres["laporan_tanpa_tanggal"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    every = pd.DatetimeIndex(pd.unique(stamps)).dropna()  # one pass over the rows; the rest on distinct dates
    dated = every if not undated.any() else pd.DatetimeIndex(pd.unique(stamps[~undated])).dropna()
    years = sorted({int(y) for y in every.year})
    if len(dated) > MAX_REPORT_DATES:
        return None, years
    return sorted(d.isoformat() for d in dated), years


def _prune(folder: Path) -> None:
    """Keep the KEEP_ENTRIES most recently used entries; drop temporary folders of killed runs."""
    now = time.time()
    entries = []
    for p in folder.iterdir():
        if is_ours(p):
            entries.append(p)
        elif _TMP_NAME.match(p.name) and is_ours(p, _TMP_NAME, cut_short=True):
            try:
                if now - p.stat().st_mtime > STALE_TMP_SECONDS:
                    _remove(p, _TMP_NAME, cut_short=True)
            except OSError:
                pass
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        _remove(old)


# ---------------------------------------------------------------------------------------------- file entries


def file_key(path: Path, shown: str, parts: dict[str, Any]) -> str:
    """The key of one file's entry: pkp, the reference, the reading options and the file as it is now."""
    from pkp_cli import __version__
    from pkp_cli.model.regions import REFERENCE_EDITION

    st = path.stat()
    h = hashlib.sha256()
    head = {"version": __version__, "layout": ENTRY_LAYOUT, "reference": REFERENCE_EDITION, **parts}
    h.update(json.dumps(head, sort_keys=True).encode())
    # The path too: report dates are read from file and folder names.
    h.update(f"\n{path.resolve()}\0{shown}\0{identity(st)}".encode())
    return h.hexdigest()[:32]


def is_our_file(
    path: Path, name_pattern: re.Pattern[str] = _FILE_NAME, magic: bytes = FILE_MAGIC, cut_short: bool = False
) -> bool:
    """A file pkp wrote as an entry (or a temporary one): its name and its first bytes say so. With `cut_short` (a
    temporary file): also one whose writing stopped before the magic was whole, as on a full disk (empty, or a
    beginning of the magic)."""
    try:
        if not name_pattern.match(path.name) or path.is_symlink() or not path.is_file():
            return False
        with path.open("rb") as fh:
            head = fh.read(len(magic))
        return head == magic or (cut_short and _cut_short(head, magic))
    except OSError:
        return False


def remove_our_file(
    path: Path, name_pattern: re.Pattern[str] = _FILE_NAME, magic: bytes = FILE_MAGIC, cut_short: bool = False
) -> None:
    if is_our_file(path, name_pattern, magic, cut_short):
        with contextlib.suppress(OSError):
            path.unlink()


def _codec(choice: tuple[str, int | None]) -> Any:
    """The Arrow codec of `choice`, else lz4, else None (no compression) where pyarrow was built without them."""
    import pyarrow as pa

    name, level = choice
    if pa.Codec.is_available(name):
        return pa.Codec(name, level) if level is not None else pa.Codec(name)
    return pa.Codec("lz4") if pa.Codec.is_available("lz4_frame") else None


def save_file(folder: Path, key: str, header: dict[str, Any], tables: dict[str, Any],
              codec: tuple[str, int | None] = FILE_CODEC, *, release: bool = False, stream: bool = False
              ) -> int:  # fmt: skip
    """Write one file entry; returns its size (0 when it could not be written: the cache is only an aid). Big
    tables are compressed with `codec` (FILE_CODEC: a loaded file's records; DERIVED_CODEC: derived frames).

    With `release`, `tables` is emptied once serialised, before the file is written (see save_files). With
    `stream`, the tables are serialised straight into the file instead (no copy of the entry in memory: for a
    frame the command keeps anyway, such as the status frame, whose write runs beside the view)."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        slim = {name: _slim(table) for name, table in tables.items()}
        if release:
            tables.clear()  # `slim` holds them until each is serialised
        fd, name = tempfile.mkstemp(dir=folder, prefix=FILE_TMP_PREFIX)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            write = _stream_entry if stream else _write_entry
            size = write(fh, {**header, KEY_FIELD: key}, slim, codec)
        target = folder / f"{FILE_PREFIX}{key}{FILE_SUFFIX}"
        if os.path.lexists(target) and not is_our_file(target):
            remove_our_file(tmp, _FILE_TMP_NAME)  # somebody else's file (or link) under pkp's name: left as it is
            return 0
        os.replace(tmp, target)
        return size
    except (OSError, ValueError, TypeError, ImportError, ArithmeticError):
        if tmp is not None:
            remove_our_file(tmp, _FILE_TMP_NAME, cut_short=True)  # (a full disk stops it anywhere)
        return 0


def _serialise(
    sink: Any, slim: dict[str, tuple[Any, dict[str, Any]]], codec: tuple[str, int | None], threads: bool = False
) -> Any:
    """Take the first table off `slim` and write it to `sink` as one Arrow IPC stream; its name and restore
    information are given back. Small tables (a weekly workbook) read fastest as they are; big ones are compressed,
    one buffer at a time (a file's records are written beside the load and the engines, which use both cores), or
    with `threads` on Arrow's threads, several at once."""
    import pyarrow as pa

    name = next(iter(slim))
    table, restore = slim.pop(name)
    big = table.nbytes > COMPRESS_ABOVE_BYTES
    options = pa.ipc.IpcWriteOptions(compression=_codec(codec) if big else None, use_threads=threads)
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return name, restore


def _head(header: dict[str, Any], spans: dict[str, list[Any]]) -> bytes:
    return json.dumps({**header, "tables": spans}, ensure_ascii=False, default=str).encode("utf-8")


def _write_entry(fh: Any, header: dict[str, Any], slim: dict[str, tuple[Any, dict[str, Any]]],
                 codec: tuple[str, int | None]) -> int:  # fmt: skip
    """The entry serialised in memory table by table (each table let go once serialised), then written."""
    import pyarrow as pa

    blobs: list[Any] = []  # pyarrow Buffers
    spans: dict[str, list[Any]] = {}
    offset = 0
    while slim:
        sink = pa.BufferOutputStream()
        name, restore = _serialise(sink, slim, codec)  # the table is let go once serialised
        blob = sink.getvalue()  # written as it is (no copy to bytes: 88 MB for the national CSV's entry)
        spans[name] = [offset, blob.size, restore]  # three items: a pkp that knows no `restore` refuses it
        offset += blob.size
        blobs.append(blob)
    head = _head(header, spans)
    crc = 0
    for blob in blobs:
        crc = crc32(blob, crc)
    fh.write(FILE_MAGIC + _sealed(head, crc))
    for blob in blobs:
        fh.write(blob)
    return len(FILE_MAGIC) + 12 + len(head) + offset


_SPAN_ROOM = 10**15  # spans' numbers as wide as any entry's, while the header's room is reserved


def _stream_entry(fh: Any, header: dict[str, Any], slim: dict[str, tuple[Any, dict[str, Any]]],
                  codec: tuple[str, int | None]) -> int:  # fmt: skip
    """The entry serialised straight into `fh`: room for the header first (the spans are known only after), the
    header written into it at the end, padded with spaces (JSON's whitespace: read as any header).

    Streamed entries are derived frames, written once the command's output is made (ingest/background.py, `hold`):
    a cold national `pkp status` waits for the status frame's at its end, with the other core idle, so its
    buffers are compressed on Arrow's threads (0.15 s against 0.19 s in process, lz4 of about 150 MB)."""
    import pyarrow as pa

    room = len(_head(header, {name: [_SPAN_ROOM, _SPAN_ROOM, r] for name, (_, r) in slim.items()}))
    fh.write(FILE_MAGIC + room.to_bytes(8, "little") + bytes(4) + b" " * room)
    fh.flush()
    body = fh.tell()
    spans: dict[str, list[Any]] = {}
    summed = _Summed(fh)
    sink = pa.PythonFile(summed, mode="w")
    while slim:
        start = fh.tell()
        name, restore = _serialise(sink, slim, codec, threads=True)
        fh.flush()
        spans[name] = [start - body, fh.tell() - start, restore]
    head = _head(header, spans).ljust(room)
    end = fh.tell()
    fh.seek(len(FILE_MAGIC))
    fh.write(_sealed(head, summed.crc))  # (the head padded to its room: the same length)
    return end


# Tables of fewer rows are written whole: their columns cost next to nothing, and an entry read back as it was
# written needs no rebuilding (a year of weekly folders reads a thousand small entries when a week is added).
SLIM_MIN_ROWS = 1024


def _slim(table: Any) -> tuple[Any, dict[str, Any]]:
    """`table` without the columns that need no bytes, and how to put them back (`_unslim`): a cell-as-written
    column `_raw_X` equal to its parsed column `X` in every row (text that parsed to itself: codes, programs,
    stages, notes), a column with no value at all (a contract column the file lacks), and an integer column that
    counts up by one from its first value (row numbers). On the national CSV's records that is 167 of 367 MB that
    were compressed and written for nothing. Dirty data, where some cell differs from its parse, keeps its `_raw_X`
    column as it is."""
    import pyarrow as pa

    names = table.column_names
    if table.num_rows < max(SLIM_MIN_ROWS, 1) or len(set(names)) != len(names):
        return table, {}
    nulls = [n for n, c in zip(names, table.columns, strict=True) if c.null_count == len(c)]
    same = {}
    for n in names:
        source = n[len("_raw_") :]
        if n.startswith("_raw_") and n not in nulls and source in names and source not in nulls:
            raw, parsed = table.column(n), table.column(source)
            # the same array (text that parsed to itself) or equal values: a few ms a column of 1.66 M rows
            if raw.type == parsed.type and raw.equals(parsed):
                same[n] = source
    ranges = {}
    for n, c in zip(names, table.columns, strict=True):
        if pa.types.is_integer(c.type) and not c.null_count and n not in same and n not in same.values():
            start = _counting_from(c)
            if start is not None:
                ranges[n] = start
    if not nulls and not same and not ranges:
        return table, {}
    import base64

    schema = base64.b64encode(table.schema.serialize().to_pybytes()).decode("ascii")
    kept = table.drop_columns([*nulls, *same, *ranges])
    return kept, {"schema": schema, "same": same, "nulls": nulls, "ranges": ranges, "rows": table.num_rows}


def _counting_from(column: Any) -> int | None:
    """The first value of an integer column (no nulls) that counts up by one in every row, else None."""
    import numpy as np

    values = column.to_numpy()
    first, n = int(values[0]), len(values)
    if int(values[-1]) - first != n - 1:  # most columns are told apart here
        return None
    try:
        return first if np.array_equal(values, np.arange(first, first + n, dtype=values.dtype)) else None
    except (OverflowError, ValueError):  # a count that ends at its type's largest value: kept as it is
        return None


def _unslim(table: Any, restore: dict[str, Any]) -> Any:
    """The table `_slim` was given, from what it kept and `restore` (raises ValueError or TypeError when they do not
    fit together: the entry is not whole)."""
    if not restore:
        return table
    import base64

    import numpy as np
    import pyarrow as pa

    schema = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(restore["schema"], validate=True)))
    same, nulls, rows = dict(restore["same"]), set(restore["nulls"]), int(restore["rows"])
    ranges = {str(k): int(v) for k, v in restore.get("ranges", {}).items()}
    # Held against the stream's own row count even when no column was kept (a table of no columns keeps its rows):
    # the header alone must never say how many rows to build.
    if table.num_rows != rows:
        raise ValueError("slimmed table: rows differ")
    columns = []
    for f in schema:
        if f.name in nulls:
            columns.append(pa.chunked_array([pa.nulls(rows, f.type)], f.type))
        elif f.name in ranges:
            if not pa.types.is_integer(f.type):
                raise ValueError(f"{f.name}: a count that is not integers")
            dtype = np.dtype(f.type.to_pandas_dtype())
            first, bounds = ranges[f.name], np.iinfo(dtype)
            if rows and not bounds.min <= first <= first + rows - 1 <= bounds.max:  # numpy would wrap int64 round
                raise ValueError(f"{f.name}: a count outside its type")
            counted = np.arange(first, first + rows, dtype=dtype)
            columns.append(pa.chunked_array([pa.array(counted, type=f.type)], f.type))
        else:
            columns.append(table.column(same.get(f.name, f.name)))
    return pa.Table.from_arrays(columns, schema=schema)


def has_file(folder: Path, key: str) -> bool:
    """Whether anything is at `key`'s entry (trusted or not: `load_file` decides; ingest/early.py reads early only
    a file that has no entry at all)."""
    return os.path.lexists(folder / f"{FILE_PREFIX}{key}{FILE_SUFFIX}")


def load_file(folder: Path, key: str, check: bool = True) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and Arrow tables of `key`'s entry, or None (missing or not trusted: the caller reads the file).
    With `check` (a file's entry, whose dictionaries the load turns into text), dictionary codes are checked
    (`_check_dictionaries`); a derived frame's entry is read as before (the warm national status's categoricals)."""
    import pyarrow as pa

    entry = folder / f"{FILE_PREFIX}{key}{FILE_SUFFIX}"
    data = read_entry_bytes(entry, MAX_FILE_BYTES, _FILE_NAME, FILE_MAGIC)
    if data is None:  # none (the file is read), or not pkp's, or not readable
        return None
    try:
        header, at = entry_parts(data)
        _same_key(header, key)
        body = pa.py_buffer(data)[at:]
        tables = {}
        spans = header.get("tables")
        if not isinstance(spans, dict):
            raise ValueError("no tables")
        for name, (start, length, *restore) in spans.items():
            if start < 0 or length < 0 or start + length > body.size or len(restore) > 1:
                raise ValueError(f"{name}: outside the entry")
            with pa.ipc.open_stream(body[start : start + length]) as reader:
                tables[name] = _unslim(reader.read_all(), restore[0] if restore else {})
            if check:
                _check_dictionaries(tables[name])
        _touch(entry)  # recently used entries survive pruning
        return header, tables
    except (OSError, ValueError, KeyError, TypeError, IndexError, ArithmeticError, UnicodeDecodeError,
            AttributeError, RecursionError, pa.ArrowException) as exc:  # fmt: skip
        note_corrupt(entry, exc)
        remove_our_file(entry)
        return None


def read_entry_bytes(entry: Path, limit: int, name_pattern: re.Pattern[str], magic: bytes) -> bytes | None:
    """The bytes of the one-file entry `entry` (a file entry, a kept JSON list) when they start with pkp's `magic`,
    else None, and what was said: nothing when there is none; "cannot be read, not used" for another user's (one
    `sudo pkp` run); "not pkp's, left alone" for a link, a FIFO, a device, a folder, a file over `limit` bytes or one
    without the magic; an entry emptied or with its magic half written (what a crash leaves) is pkp's: removed,
    "corrupt, rebuilt"."""
    try:
        data = _read(entry, limit)
    except NotAnEntry as exc:
        note_foreign(entry, exc)
        return None
    except PermissionError as exc:
        note_unreadable(entry, exc)
        return None
    except OSError:  # none (or the cache folder is not one)
        return None
    if data.startswith(magic):
        return data
    if _cut_short(data, magic):
        note_corrupt(entry, ValueError("cut short"))
        remove_our_file(entry, name_pattern, magic, cut_short=True)
    else:
        note_foreign(entry, "no pkp marker")
    return None


def _same_key(header: Any, key: str) -> None:
    """ValueError unless the entry read under `key` says it is `key`'s: whole and checksummed, an entry renamed to
    another's name (two entries' files swapped, one copied over another) would otherwise be trusted as that one."""
    if not isinstance(header, dict) or header.get(KEY_FIELD) != key:
        raise ValueError("another entry's content under this name (its own key differs)")


def entry_parts(data: bytes) -> tuple[dict[str, Any], int]:
    """A file entry's header and where its body starts, once its CRC-32 matches: ValueError otherwise. Layout:
    FILE_MAGIC, the header's length (8 bytes), the CRC (4 bytes), the header (JSON, padded with spaces), the body
    (the tables' Arrow streams, at the header's spans). The CRC is of the body, then the length and the header
    (the body is streamed into the file before its header is known)."""
    if not data.startswith(FILE_MAGIC):
        raise ValueError("no pkp marker")
    at = len(FILE_MAGIC)
    size = int.from_bytes(data[at : at + 8], "little")
    start = at + 12 + size
    if len(data) < start:
        raise ValueError("truncated")
    view = memoryview(data)
    if crc32(data[at : at + 8] + view[at + 12 : start], crc32(view[start:])) != int.from_bytes(
        data[at + 8 : at + 12], "little"
    ):
        raise ValueError("checksum")
    return json.loads(bytes(view[at + 12 : start]).decode("utf-8")), start


def entry_bytes(header: dict[str, Any], body: bytes) -> bytes:
    """A file entry of `header` (its spans into `body`) and `body`, as `entry_parts` reads it."""
    return FILE_MAGIC + _sealed(json.dumps(header, ensure_ascii=False).encode("utf-8"), crc32(body)) + body


def _sealed(head: bytes, body_crc: int) -> bytes:
    """What follows FILE_MAGIC up to the body: the header's length, the CRC (of the body, then the length and the
    header), the header."""
    size = len(head).to_bytes(8, "little")
    return size + crc32(size + head, body_crc).to_bytes(4, "little") + head


def _check_dictionaries(table: Any) -> None:
    """Raise ValueError when a dictionary column's codes point outside its values: Arrow reads such a stream without
    a word, and the load would fail where it turns them into text (an IndexError: pkp's internal error, not an entry
    rebuilt). The codes' least and greatest value only (about a millisecond a column of 1.66 M rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for field, column in zip(table.schema, table.columns, strict=True):
        if not pa.types.is_dictionary(field.type):
            continue
        for chunk in column.chunks:
            if len(chunk) == chunk.null_count:
                continue
            least, most = pc.min_max(chunk.indices).values()
            if least.as_py() < 0 or most.as_py() >= len(chunk.dictionary):
                raise ValueError(f"{field.name}: codes outside the dictionary")


def note_corrupt(entry: Path, exc: BaseException) -> None:
    """Say on stderr that `entry` is damaged and rebuilt (ingest/cache_notes.py: at most a few named per command)."""
    from pkp_cli.ingest import cache_notes

    cache_notes.note_corrupt(entry, _why(exc))


def note_foreign(entry: Path, why: BaseException | str) -> None:
    """Say on stderr that what lies under `entry`'s name is not pkp's, so it is neither read nor removed."""
    from pkp_cli.ingest import cache_notes

    cache_notes.note(entry, why if isinstance(why, str) else _why(why), "foreign")


def note_unreadable(entry: Path, exc: BaseException) -> None:
    """Say on stderr that `entry` cannot be read (another user's): not used, left as it is."""
    from pkp_cli.ingest import cache_notes

    cache_notes.note(entry, _why(exc), "unreadable")


def _why(exc: BaseException) -> str:
    # What lies there (NotAnEntry says it, in English), else the error's kind.
    return str(exc) if isinstance(exc, NotAnEntry) else type(exc).__name__


def prune_files(folder: Path) -> None:
    """Keep file entries within MAX_FILE_ENTRIES and MAX_FILE_BYTES, dropping the least recently used first;
    drop temporary files of killed runs. Only pkp's own entries are ever touched."""
    prune_store(folder, _FILE_NAME, _FILE_TMP_NAME, FILE_MAGIC, MAX_FILE_ENTRIES, MAX_FILE_BYTES)


def prune_store(folder: Path, name: re.Pattern[str], tmp_name: re.Pattern[str], magic: bytes,
                max_entries: int, max_bytes: int | None = None) -> None:  # fmt: skip
    """Keep the entries named `name` within `max_entries` (and `max_bytes`), least recently used first, and drop
    temporary files (`tmp_name`) older than STALE_TMP_SECONDS; a file without `magic` is never touched."""
    now = time.time()
    entries: list[tuple[float, int, Path]] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for n in names:
        p = folder / n
        try:
            if name.match(n):
                st = p.lstat()
                entries.append((st.st_mtime, st.st_size, p))
            elif tmp_name.match(n) and now - p.lstat().st_mtime > STALE_TMP_SECONDS:
                remove_our_file(p, tmp_name, magic, cut_short=True)
        except OSError:
            continue

    def within(count: int, total: int) -> bool:
        return count <= max_entries and (max_bytes is None or total <= max_bytes)

    if within(len(entries), sum(size for _, size, _ in entries)):
        return
    # Over a bound: count only pkp's own entries (a look-alike is neither counted nor touched).
    ours = sorted((e for e in entries if is_our_file(e[2], name, magic)), key=lambda e: e[0])  # oldest use first
    count, total = len(ours), sum(size for _, size, _ in ours)
    for _, size, p in ours:
        if within(count, total):
            break
        remove_our_file(p, name, magic)
        count -= 1
        total -= size


# ---------------------------------------------------------------------------------------------- derived frames


def derived_key(kind: str, parts: dict[str, Any]) -> str:
    """The key of a frame computed from a load (kind "status": the status frame of an as-of date)."""
    from pkp_cli import __version__

    head = {"derived": kind, "version": __version__, "layout": ENTRY_LAYOUT, **parts}
    text = json.dumps(head, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def save_frame(folder: Path, key: str, kind: str, frame: Any) -> None:
    """Keep a derived frame as a file entry (same store, bounds and safety as the per-file entries).

    The frame is made an Arrow table where the entry is written (ingest/background.py: on a thread, held until the
    command's heavy work is done): what crosses is a shallow copy, which under pandas' copy-on-write no later change
    of the caller's frame reaches."""
    from pkp_cli.ingest import background

    # Held: serialising the national status frame beside the view's roll-ups set the peak memory. The national view
    # starts it once its roll-ups are done (StatusInputs.peak_passed), other views once their tables are made.
    background.later(_save_frame, folder, key, kind, frame.copy(deep=False), hold=True, size=_frame_bytes(frame))


def _save_frame(folder: Path, key: str, kind: str, frame: Any) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)  # with its pandas dtypes (categoricals...)
        # Text columns that repeat (codes of 1.66 M status rows) are kept as dictionaries: a quarter of the
        # bytes, and read back without decompressing; they are text again when read.
        encoded = []
        for i, field in enumerate(table.schema):
            if pa.types.is_large_string(field.type) or pa.types.is_string(field.type):
                column = pc.dictionary_encode(table.column(i))
                if column.num_chunks and sum(len(c.dictionary) for c in column.chunks) * 2 < max(len(table), 1):
                    table = table.set_column(i, field.name, column)
                    encoded.append(field.name)
    except (pa.ArrowException, ValueError, TypeError):
        return
    header = {"derived": kind, "columns": list(frame.columns), "encoded": encoded}
    del frame
    # streamed into its file: no copy of the entry in memory while the view still works beside it
    save_files(folder, [(key, header, {"frame": table})], DERIVED_CODEC, stream=True)


def save_files(folder: Path, entries: list[tuple[str, dict[str, Any], dict[str, Any]]],
               codec: tuple[str, int | None] = FILE_CODEC, *, stream: bool = False) -> None:  # fmt: skip
    """Write file entries (key, header, Arrow tables), then keep the store within its bounds.

    Each entry is taken off `entries` and its tables let go once serialised, before its file is written: a write
    runs beside the command (ingest/background.py), and the national CSV's records table holds about 300 MB of
    buffers the command itself no longer needs after the load; on a busy disk the write of the 88 MB entry took
    seconds, and those buffers stayed in the command's peak until it was done."""
    while entries:
        key, header, tables = entries.pop(0)
        save_file(folder, key, header, tables, codec, release=True, stream=stream)
        del tables
    prune_files(folder)


def load_frame(folder: Path, key: str, kind: str) -> Any | None:
    """A derived frame kept by save_frame, or None (missing, or not whole: rebuilt with a note)."""
    import pyarrow as pa

    entry = load_file(folder, key, check=False)
    if entry is None:
        return None
    header, tables = entry
    try:
        if header.get("derived") != kind:
            raise ValueError(f"not a {kind} entry")
        table = tables["frame"]
        for name in header["encoded"]:
            i = table.schema.get_field_index(name)
            decoded = pa.chunked_array([c.dictionary_decode() for c in table.column(i).chunks])
            table = table.set_column(i, name, decoded)
        # column by column, freeing each Arrow column once converted: no second copy of 1.66 M rows at the peak
        frame = table.to_pandas(split_blocks=True, self_destruct=True)
        del table, tables, entry
        if list(frame.columns) != header["columns"]:
            raise ValueError("unexpected columns")
        return frame
    except (KeyError, ValueError, TypeError, AttributeError, pa.ArrowException) as exc:
        note_corrupt(folder / f"{FILE_PREFIX}{key}{FILE_SUFFIX}", exc)
        remove_our_file(folder / f"{FILE_PREFIX}{key}{FILE_SUFFIX}")
        return None


# ---------------------------------------------------------------------------------------------- derived tables


def save_kept_tables(folder: Path, key: str, kind: str, frames: dict[str, Any]) -> None:
    """Keep a few small derived frames (a view's data) as one file entry, each with its pandas dtypes and index.
    Kept only when every frame reads back exactly as it is (dtypes, values, index): what a warm run shows must
    be what it would have computed."""
    import pyarrow as pa

    try:
        tables = {name: pa.Table.from_pandas(frame) for name, frame in frames.items()}
        for name, table in tables.items():
            if not plainly_exact(frames[name]) and not _same_frame(frames[name], _small_to_pandas(table)):
                return
    except (pa.ArrowException, ValueError, TypeError, KeyError, AttributeError):
        return
    from pkp_cli.ingest import background

    entry = (key, {"derived": kind, "names": list(frames)}, tables)
    background.later(save_files, folder, [entry], DERIVED_CODEC, size=tables_bytes(tables.values()))


def load_kept_tables(folder: Path, key: str, kind: str) -> dict[str, Any] | None:
    """The frames kept by save_kept_tables, or None (missing, or not whole: rebuilt with a note)."""
    import pyarrow as pa

    entry = load_file(folder, key)
    if entry is None:
        return None
    header, tables = entry
    try:
        if header.get("derived") != kind or list(tables) != header["names"]:
            raise ValueError(f"not a {kind} entry")
        return {name: _small_to_pandas(table) for name, table in tables.items()}
    except (KeyError, ValueError, TypeError, AttributeError, pa.ArrowException) as exc:
        path = folder / f"{FILE_PREFIX}{key}{FILE_SUFFIX}"
        note_corrupt(path, exc)
        remove_our_file(path)
        return None


def plainly_exact(frame: Any) -> bool:
    """Whether `frame` is of the kinds that come back from Arrow exactly as they were, so that the read-back
    check of `save_kept_tables` cannot fail (converting 7 small tables back and comparing them cost a cold
    `pkp status --province` about 0.03 s): text column names, each column numbers, booleans, dates without a
    time zone, pandas' text, categories (at least one) of such values, or plain Python text without a missing
    value; the index a range or integers, unnamed. tests/ingest/test_kept_exact.py checks the claim against the
    full check."""
    import numpy as np
    import pandas as pd

    columns = list(frame.columns)
    if not all(type(c) is str for c in columns) or len(set(columns)) != len(columns):
        return False
    index = frame.index
    plain_index = type(index) is pd.RangeIndex or (type(index) is pd.Index and index.dtype == "int64")
    if index.name is not None or not plain_index:
        return False
    for i in range(frame.shape[1]):
        dtype = frame.dtypes.iloc[i]
        if isinstance(dtype, pd.CategoricalDtype):
            # (no categories at all: Arrow gives pandas' text categories back as Python objects)
            if len(dtype.categories) == 0 or not _plain_kind(dtype.categories.dtype):
                return False
        elif isinstance(dtype, np.dtype) and dtype.kind == "O":  # (pandas' text dtype says "O" too)
            values = frame.iloc[:, i].tolist()
            if not all(type(v) is str for v in values):
                return False
        elif not _plain_kind(dtype):
            return False
    return True


def _plain_kind(dtype: Any) -> bool:
    import numpy as np
    import pandas as pd

    if isinstance(dtype, pd.StringDtype):
        return bool(dtype.storage == "pyarrow")
    if not isinstance(dtype, np.dtype):
        return False
    return dtype.kind in "biuf" or (dtype.kind == "M" and dtype.str.startswith("<M8"))


def _small_to_pandas(table: Any) -> Any:
    """A kept table as the frame it was: text columns that were plain object columns are object again (Arrow
    gives pandas' string dtype)."""
    frame = table.to_pandas()
    meta = table.schema.pandas_metadata or {}
    for column in meta.get("columns", []):
        name = column.get("name")
        if column.get("numpy_type") == "object" and name in frame.columns and frame[name].dtype != object:
            frame[name] = frame[name].astype(object)
    return frame


def _same_frame(a: Any, b: Any) -> bool:
    """Two frames equal in columns, index, dtypes and every value, NaN/None/NaT and value types included (object
    columns are compared value by value: these frames have a few hundred rows)."""
    import pandas as pd

    if list(a.columns) != list(b.columns) or not a.index.equals(b.index) or type(a.index) is not type(b.index):
        return False
    if list(a.dtypes) != list(b.dtypes) or a.index.dtype != b.index.dtype:
        return False
    for i in range(a.shape[1]):
        x, y = a.iloc[:, i], b.iloc[:, i]
        if x.dtype == object:
            xs, ys = x.tolist(), y.tolist()
            if [type(v) for v in xs] != [type(v) for v in ys]:
                return False
            if not all(_same_value(v, w, pd.isna) for v, w in zip(xs, ys, strict=True)):
                return False
        elif not x.equals(y):
            return False
    return True


def _same_value(v: Any, w: Any, isna: Callable[[Any], Any]) -> bool:
    if isna(v) is True or isna(w) is True:  # NaN, None, NaT, NA: the same kind of empty (types compared before)
        return isna(v) is True and isna(w) is True
    return bool(v == w)
