"""Read-only access to a data source: a folder on disk, or a .tar archive read in place.

Importers see both through the same small interface (list the files, read one file's
bytes), so a 140 MB tar of 33k images never has to be extracted to disk first. Paths are
POSIX-style and relative to the source root.
"""

from __future__ import annotations

import posixpath
import tarfile
from pathlib import Path, PurePosixPath

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif")


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_EXTENSIONS)


class Source:
    """A set of named files. Subclasses fill `files` (sorted relative paths) and `_read`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.files: list[str] = []
        self._file_set: set[str] = set()
        self._indexes: dict[str, dict[str, dict[str, list[str]]]] = {}

    def _set_files(self, files) -> None:
        self.files = sorted(files)
        self._file_set = set(self.files)

    @property
    def name(self) -> str:
        return self.path.name

    def exists(self, rel: str) -> bool:
        return rel in self._file_set

    def read_bytes(self, rel: str) -> bytes:
        if rel not in self._file_set:
            raise FileNotFoundError(f"{rel} is not in {self.path}")
        return self._read(rel)

    def read_text(self, rel: str) -> str:
        return self.read_bytes(rel).decode("utf-8-sig", errors="replace")

    def images_under(self, folder: str) -> list[str]:
        prefix = "" if folder in ("", ".") else folder.rstrip("/") + "/"
        return [f for f in self.files if f.startswith(prefix) and is_image_name(f)]

    def find_image(self, folder: str, key: str) -> str | None:
        """The image that `key` (a file name, a relative path, or a bare id/md5) names, under `folder`.

        Tried in order: folder/key, folder/images/key, then any image under folder whose
        name (when key has an extension) or stem (when it has none) equals key.
        """
        key = key.strip().replace("\\", "/")
        base = "" if folder in ("", ".") else folder.rstrip("/")
        for candidate in (posixpath.join(base, key), posixpath.join(base, "images", key)):
            candidate = posixpath.normpath(candidate)
            if candidate in self._file_set and is_image_name(candidate):
                return candidate
        index = self._stem_index(base)
        leaf = PurePosixPath(key).name
        if is_image_name(leaf):
            matches = index["name"].get(leaf, [])
        else:
            matches = index["stem"].get(leaf, [])
        return matches[0] if matches else None

    def _stem_index(self, base: str) -> dict[str, dict[str, list[str]]]:
        # Built once per folder, so resolving 33k ids is a dict lookup each, not a scan.
        if base not in self._indexes:
            by_name: dict[str, list[str]] = {}
            by_stem: dict[str, list[str]] = {}
            for rel in self.images_under(base):
                p = PurePosixPath(rel)
                by_name.setdefault(p.name, []).append(rel)
                by_stem.setdefault(p.stem, []).append(rel)
            self._indexes[base] = {"name": by_name, "stem": by_stem}
        return self._indexes[base]

    def _read(self, rel: str) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FolderSource(Source):
    def __init__(self, path: str | Path):
        super().__init__(path)
        if not self.path.is_dir():
            raise FileNotFoundError(f"data source {self.path} is not a folder")
        self._set_files(p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file())

    def _read(self, rel: str) -> bytes:
        return (self.path / rel).read_bytes()


class TarSource(Source):
    """A tar archive (optionally compressed) read in place; members are read by seeking."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        try:
            self._tar = tarfile.open(self.path, "r:*")
            members = self._tar.getmembers()
        except (tarfile.TarError, OSError) as err:
            raise ValueError(f"{self.path} is not a readable tar archive ({err}); give a folder or a .tar file") from err
        self._members = {posixpath.normpath(m.name): m for m in members if m.isfile()}
        self._set_files(self._members)

    def _read(self, rel: str) -> bytes:
        handle = self._tar.extractfile(self._members[rel])
        if handle is None:
            raise OSError(f"cannot read {rel} from {self.path}")
        return handle.read()

    def close(self) -> None:
        self._tar.close()


def open_source(path: str | Path) -> Source:
    path = Path(path)
    if path.is_dir():
        return FolderSource(path)
    if not path.exists():
        raise FileNotFoundError(f"data source {path} does not exist; give a folder or a .tar file")
    if tarfile.is_tarfile(path):
        return TarSource(path)
    raise ValueError(f"data source {path} is neither a folder nor a tar archive")
