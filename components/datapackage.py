"""The seal on the data folder: a Frictionless Data Package descriptor, ``datapackage.json``.

It records every CSV file's size and sha256 hash, so a file that was cut short, half-written
or changed without re-sealing is refused by name. The descriptor uses the standard's own
fields (``bytes``, and ``hash`` as ``sha256:<hex>``, its ``algorithm:hash`` form), so tools of
that ecosystem can read it.

The ``frictionless`` library itself is not used: the check is a size and a hash per file
(under 1 ms for the whole folder), while ``frictionless`` 5.21 would add 18 packages to the
server (petl, rich, typer, ...) and their imports to its start-up. What the rows mean stays
the job of ``components/data.py``.
"""
from __future__ import annotations

import hashlib
import json
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
    data_dir = Path(data_dir)
    command = seal_command(data_dir, default_dir)
    hint = f"if you edited it on purpose, run {command}"
    recorded, problem = _recorded_resources(data_dir / DESCRIPTOR, command)
    if problem:
        return [problem]
    mismatches = []
    for name, entry in recorded.items():
        path = data_dir / name
        if not path.is_file():
            mismatches.append(Mismatch(str(path), 1, f"the file is missing, but {DESCRIPTOR} records it; {hint}"))
            continue
        mismatches.extend(_compare(path, entry, hint))
    for path in sorted(data_dir.glob("*.csv")):
        if path.name not in recorded:
            mismatches.append(Mismatch(str(path), 1, f"this file is not recorded in {DESCRIPTOR}; {hint}"))
    return mismatches


def _recorded_resources(path: Path, command: str) -> tuple[dict[str, dict], Mismatch | None]:
    def refused(message: str):
        return {}, Mismatch(str(path), 1, f"{message}; check the data files, then run {command} to seal them as they are")

    if not path.is_file():
        return refused("the file is missing, so the data files cannot be checked for truncation")
    if path.stat().st_size > MAX_DESCRIPTOR_BYTES:
        return refused(f"the file is larger than {MAX_DESCRIPTOR_BYTES:,} bytes")
    try:
        package = json.loads(path.read_bytes())
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


def _compare(path: Path, entry: dict, hint: str) -> list[Mismatch]:
    raw = path.read_bytes()
    size, expected = len(raw), entry["bytes"]
    if size < expected:
        # Name the line the file now ends on: that is where the rest went missing.
        line = max(1, raw.count(b"\n"))
        return [Mismatch(str(path), line, f"has {size:,} bytes but {DESCRIPTOR} records {expected:,}: "
                                          f"the file looks truncated or half-written; {hint}")]
    if size > expected:
        return [Mismatch(str(path), 1, f"has {size:,} bytes but {DESCRIPTOR} records {expected:,}: "
                                       f"the file changed after it was sealed; {hint}")]
    algorithm = entry["hash"].split(":", 1)[0] if ":" in entry["hash"] else "md5"
    if algorithm != HASH_ALGORITHM:
        return [Mismatch(str(path), 1, f"{DESCRIPTOR} records a {algorithm} hash; this app checks {HASH_ALGORITHM}; {hint}")]
    if file_hash(raw) != entry["hash"]:
        return [Mismatch(str(path), 1, f"its content differs from the {HASH_ALGORITHM} hash that {DESCRIPTOR} records "
                                       f"(same size): the file changed after it was sealed; {hint}")]
    return []
