"""The seal on the data folder: a Frictionless Data Package descriptor, ``datapackage.json``.

It records every CSV file's size and sha256 hash, so a file that was cut short, half-written
or changed without re-sealing is refused by name. The descriptor uses the standard's own
fields (``bytes``, and ``hash`` as ``sha256:<hex>``, its ``algorithm:hash`` form), so tools of
that ecosystem can read it.

The ``frictionless`` library itself is not used: the check is a size and a hash per file
(under 1 ms for the whole folder), while ``frictionless`` 5.21 would add 18 packages to the
server (petl, rich, typer, ...) and their imports to its start-up. What the rows mean stays
the job of ``components/domain/data.py``.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

DESCRIPTOR = "datapackage.json"
PACKAGE_NAME = "calf-referral-pain-explorer-data"
HASH_ALGORITHM = "sha256"
MAX_DESCRIPTOR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Mismatch:
    """One way the folder differs from its seal: the file, the line, and what is wrong."""

    file: str
    line: int
    message: str


def file_hash(raw: bytes) -> str:
    return f"{HASH_ALGORITHM}:{hashlib.sha256(raw).hexdigest()}"


def resource(path: Path) -> dict:
    raw = path.read_bytes()
    return {
        "name": path.stem.replace("_", "-"),
        "path": path.name,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(raw),
        "hash": file_hash(raw),
    }


def descriptor(data_dir: Path) -> dict:
    """The descriptor for the folder as it is now: every CSV file, in name order."""
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Calf referral pain explorer: trigger points, referral zones and education",
        "resources": [resource(path) for path in sorted(Path(data_dir).glob("*.csv"))],
    }


def seal(data_dir: Path | str) -> Path:
    """Record the folder's files in datapackage.json. Idempotent: the same files give the same bytes.

    The new descriptor is written beside the old one and renamed over it, so a crash while
    sealing never leaves a half-written seal behind.
    """
    data_dir = Path(data_dir)
    target = data_dir / DESCRIPTOR
    text = json.dumps(descriptor(data_dir), indent=2, ensure_ascii=False) + "\n"
    temporary = target.with_name(f".{DESCRIPTOR}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
    return target


def seal_command(data_dir: Path, default_dir: Path | None) -> str:
    same = default_dir is not None and Path(data_dir).resolve() == Path(default_dir).resolve()
    return "`python app.py --seal-data" + ("" if same else f" --data-dir {data_dir}") + "`"


def verify(data_dir: Path | str, default_dir: Path | None = None) -> list[Mismatch]:
    """Every way the folder differs from datapackage.json; empty when it matches."""
    return read_sealed(data_dir, default_dir)[0]


def read_sealed(data_dir: Path | str, default_dir: Path | None = None,
                max_bytes: int = 16 * 1024 * 1024) -> tuple[list[Mismatch], dict[str, bytes | None]]:
    """Check the folder against its seal, reading each recorded file once; and the bytes that were read.

    The caller parses these same bytes, never the file again: a file rewritten, or a folder
    link flipped, while the data loads can then not slip unchecked bytes past the hash. Each
    file's size is checked before it is read: one over ``max_bytes`` (and over its seal) is refused
    without being read, and its entry in the contents is None. A smaller one that differs from its
    seal is still read, so that its other problems are reported beside the seal's.
    """
    data_dir = Path(data_dir)
    command = seal_command(data_dir, default_dir)
    hint = f"if you edited it on purpose, run {command}"
    recorded, problem = _recorded_resources(data_dir / DESCRIPTOR, command)
    if problem:
        return [problem], {}
    mismatches, contents = [], {}
    for name, entry in recorded.items():
        path = data_dir / name
        if not path.is_file():
            mismatches.append(Mismatch(str(path), 1, f"the file is missing, but {DESCRIPTOR} records it; {hint}"))
            continue
        contents[name], mismatch = _compare(path, entry, hint, max_bytes)  # None: refused unread
        if mismatch:
            mismatches.append(mismatch)
    for path in sorted(data_dir.glob("*.csv")):
        if path.name not in recorded:
            mismatches.append(Mismatch(str(path), 1, f"this file is not recorded in {DESCRIPTOR}; {hint}"))
    return mismatches, contents


class TooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def read_once(path: Path, limit: int) -> bytes:
    """The file's bytes, from one open: its size is checked first and at most ``limit`` bytes are kept.

    Raises TooLarge (with the size) for a larger file, and OSError for one that cannot be read.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooLarge(size)
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # it grew between the check and the read
        raise TooLarge(len(raw))
    return raw


def _recorded_resources(path: Path, command: str) -> tuple[dict[str, dict], Mismatch | None]:
    def refused(message: str):
        return {}, Mismatch(str(path), 1, f"{message}; check the data files, then run {command} to seal them as they are")

    if not path.is_file():
        return refused("the file is missing, so the data files cannot be checked for truncation")
    try:
        package = json.loads(read_once(path, MAX_DESCRIPTOR_BYTES))
    except TooLarge:
        return refused(f"the file is larger than {MAX_DESCRIPTOR_BYTES:,} bytes")
    except OSError as error:
        return refused(f"the file cannot be read ({error.strerror or error})")
    except (ValueError, RecursionError):
        return refused("the file is not valid JSON (is it half-written?)")
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        return refused("the file has no 'resources' list")
    recorded = {}
    for entry in resources:
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("bytes"), int)
                and isinstance(entry.get("hash"), str)):
            return refused("a resource lacks its 'path', 'bytes' or 'hash'")
        if "/" in entry["path"] or "\\" in entry["path"] or entry["path"].startswith("."):
            return refused(f"resource path {entry['path']!r} is not a file in this folder")
        recorded[entry["path"]] = entry
    return recorded, None


def _compare(path: Path, entry: dict, hint: str, max_bytes: int) -> tuple[bytes | None, Mismatch | None]:
    """The file's bytes (None if it was not read) and how it differs from its seal, if it does."""
    expected = entry["bytes"]

    def grown(size: int) -> Mismatch:
        return Mismatch(str(path), 1, f"has {size:,} bytes but {DESCRIPTOR} records {expected:,}: "
                                      f"the file changed after it was sealed; {hint}")

    try:
        raw = read_once(path, max(expected, max_bytes))
    except TooLarge as error:
        return None, grown(error.size)
    except OSError as error:
        return None, Mismatch(str(path), 1, f"the file cannot be read ({error.strerror or error}); "
                                            "check its permissions")
    size = len(raw)
    if size < expected:
        # Name the line the file now ends on: that is where the rest went missing.
        line = max(1, raw.count(b"\n"))
        return raw, Mismatch(str(path), line, f"has {size:,} bytes but {DESCRIPTOR} records {expected:,}: "
                                              f"the file looks truncated or half-written; {hint}")
    if size > expected:
        return raw, grown(size)
    algorithm = entry["hash"].split(":", 1)[0] if ":" in entry["hash"] else "md5"
    if algorithm != HASH_ALGORITHM:
        return raw, Mismatch(str(path), 1, f"{DESCRIPTOR} records a {algorithm} hash; this app checks {HASH_ALGORITHM}; {hint}")
    if file_hash(raw) != entry["hash"]:
        return raw, Mismatch(str(path), 1, f"its content differs from the {HASH_ALGORITHM} hash that {DESCRIPTOR} records "
                                           f"(same size): the file changed after it was sealed; {hint}")
    return raw, None
