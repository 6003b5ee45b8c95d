"""A runs folder on shared storage, at an fsspec URL (`s3://bucket/runs`, `gs://…`, a shared path):
shards crawled on other machines leave their run folder files there, and the loader copies them
into its own run folder before loading.

A shard's status file is its completion marker (`RunFolder.shard_files` lists it last): it is sent
last, under a temporary name and then renamed, and fetched only when present, so a shard whose
upload was cut off never looks finished. Beside the run folders the store keeps the loader's
last-ok index and the files of the runs it names (`put_baseline`), so a shard on another machine
finds its conditional-GET baseline there (`fetch_baseline`) as a local crawl finds it in its runs
folder. Credentials and endpoints come from the filesystem's own
environment variables (for S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and,
for a store other than AWS, AWS_ENDPOINT_URL).
"""

from __future__ import annotations

from pathlib import Path

from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from contract.run_folder import LAST_OK_FILE, PAGE_MANIFESTS, RunFolder, read_last_ok

PARTIAL_SUFFIX = ".part"  # a file on its way to the store, under its final name plus this


class Staging:
    """The runs folder at `url`: one run's folder is `<url>/<run_id>/`, its files named as in RunFolder."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.root = url_to_fs(url)

    def _remote(self, run_id: str, name: str) -> str:
        return f"{self.root.rstrip('/')}/{run_id}/{name}"

    def _is_local_copy(self, remote: str, local: Path) -> bool:
        """The store is this very folder (staging on the loader's own runs folder): nothing to copy."""
        return isinstance(self.fs, LocalFileSystem) and Path(remote).resolve() == local.resolve()

    def _send(self, path: Path, remote: str) -> None:
        """One file, whole: under a temporary name, then renamed."""
        self.fs.put_file(str(path), remote + PARTIAL_SUFFIX)
        self.fs.mv(remote + PARTIAL_SUFFIX, remote)

    def _receive(self, remote: str, path: Path) -> None:
        partial = path.with_name(path.name + PARTIAL_SUFFIX)
        self.fs.get_file(remote, str(partial))
        partial.replace(path)

    def put_shard(self, folder: RunFolder, shard: str, source_ids: list[str]) -> None:
        """Send the files one shard's crawl left in `folder`, its status (the marker) last and whole."""
        self.fs.makedirs(self._remote(folder.run_id, ""), exist_ok=True)
        for path in folder.shard_files(shard, source_ids):
            remote = self._remote(folder.run_id, path.name)
            if path.is_file() and not self._is_local_copy(remote, path):
                self._send(path, remote)

    def fetch_shard(self, folder: RunFolder, shard: str, source_ids: list[str]) -> bool:
        """Copy a finished shard's files into `folder`, its status last; False (and nothing copied)
        when its status is not in the store: the shard never finished."""
        *files, marker = folder.shard_files(shard, source_ids)
        self.fs.invalidate_cache()
        if not self.fs.exists(self._remote(folder.run_id, marker.name)):
            return False
        folder.path.mkdir(parents=True, exist_ok=True)
        for path in [*files, marker]:
            remote = self._remote(folder.run_id, path.name)
            if not self._is_local_copy(remote, path) and self.fs.exists(remote):
                self._receive(remote, path)
        return True

    def put_baseline(self, runs_dir: Path) -> None:
        """Send the loader's last-ok index, and the page manifests and records of the runs it names
        that the store lacks, so a shard elsewhere sends conditional requests against its last ok run."""
        index_path = Path(runs_dir) / LAST_OK_FILE
        remote_index = f"{self.root.rstrip('/')}/{LAST_OK_FILE}"
        if not index_path.is_file() or self._is_local_copy(remote_index, index_path):
            return
        index = read_last_ok(runs_dir)
        for run_id in sorted(set(index.values())):
            folder = RunFolder(Path(runs_dir) / run_id)
            records = [folder.records(source_id) for source_id, named in index.items() if named == run_id]
            for path in [*folder.page_manifests(), *records]:
                remote = self._remote(run_id, path.name)
                if path.is_file() and not self.fs.exists(remote):
                    self._send(path, remote)
        self._send(index_path, remote_index)

    def fetch_baseline(self, runs_dir: Path, source_ids: list[str]) -> None:
        """Into a shard's scratch runs folder: the store's last-ok index, and from each run it names
        for `source_ids` the page manifests and those sources' records (nothing when there is no index)."""
        remote_index = f"{self.root.rstrip('/')}/{LAST_OK_FILE}"
        self.fs.invalidate_cache()
        if not self.fs.exists(remote_index):
            return
        Path(runs_dir).mkdir(parents=True, exist_ok=True)
        self._receive(remote_index, Path(runs_dir) / LAST_OK_FILE)
        index = read_last_ok(runs_dir)
        for run_id in sorted({index[s] for s in source_ids if s in index}):
            folder = RunFolder(Path(runs_dir) / run_id)
            folder.path.mkdir(exist_ok=True)
            manifests = self.fs.glob(self._remote(run_id, PAGE_MANIFESTS))
            records = [self._remote(run_id, folder.records(s).name) for s in source_ids if index.get(s) == run_id]
            for remote in [*manifests, *records]:
                if self.fs.exists(remote):
                    self._receive(remote, folder.path / Path(remote).name)
