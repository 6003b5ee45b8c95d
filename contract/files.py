"""Writing a file whole or not at all: the project's one atomic write, for the run folder, the
exports, the hub pages and the analysts' snapshot alike.

The temporary is hidden and named for its target, `.<name>.<pid>.clerkships-tmp`, in the same
folder (so the rename is atomic, a static host never serves it, no run-folder glob matches it, and
whatever a kill leaves behind is found by its name and removed).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".clerkships-tmp"


def temporary_for(path: Path) -> Path:
    """The hidden temporary a write of `path` goes through."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def replace_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """`write(tmp)` fills the temporary; it is synced and renamed onto `path`, or removed on failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_for(path)
    try:
        write(tmp)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path` whole."""
    return replace_atomically(
        path, lambda tmp: tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    )
