"""The lines of work-tree files, kept between calls by a long-lived process (the daemon, the MCP
server): a search page previews up to 40 chunks from a couple dozen files, and reading and
splitting those files again on every call costs more than the search itself.

An entry is used only while the file's size and modification time are those it was read at, so
a call always sees the file as it is now, as it would reading the file itself.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

KEPT_FILES = 512  # the files whose lines are kept, least recently used dropped first


class FileLines:
    def __init__(self, kept: int = KEPT_FILES) -> None:
        self.kept = kept
        self._files: OrderedDict[Path, tuple[int, int, list[str]]] = OrderedDict()
        self._lock = threading.Lock()  # the daemon reads on many threads

    def lines(self, path: Path) -> list[str]:
        """The file's lines now (OSError when it cannot be read)."""
        stat = os.stat(path)
        with self._lock:
            kept = self._files.get(path)
            if kept and kept[0] == stat.st_size and kept[1] == stat.st_mtime_ns:
                self._files.move_to_end(path)
                return kept[2]
        lines = read_lines(path)
        with self._lock:
            self._files[path] = (stat.st_size, stat.st_mtime_ns, lines)
            self._files.move_to_end(path)
            while len(self._files) > self.kept:
                self._files.popitem(last=False)
        return lines


def read_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8", errors="replace").splitlines()
