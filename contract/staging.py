"""A runs folder on shared storage, at an fsspec URL (`s3://bucket/runs`, `gs://…`, a shared path):
shards crawled on other machines leave their run folder files there, and the loader copies them
into its own run folder before loading.

A shard's status file is its completion marker (`RunFolder.shard_files` lists it last): it is sent
last, under a temporary name and then renamed, and fetched only when present, so a shard whose
upload was cut off never looks finished. Credentials and endpoints come from the filesystem's own
environment variables (for S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION and,
for a store other than AWS, AWS_ENDPOINT_URL).
"""

from __future__ import annotations

from pathlib import Path

from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from contract.run_folder import RunFolder

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

    def put_shard(self, folder: RunFolder, shard: str, source_ids: list[str]) -> None:
        """Send the files one shard's crawl left in `folder`, its status (the marker) last and whole."""
        self.fs.makedirs(self._remote(folder.run_id, ""), exist_ok=True)
        for path in folder.shard_files(shard, source_ids):
            remote = self._remote(folder.run_id, path.name)
            if not path.is_file() or self._is_local_copy(remote, path):
                continue
            self.fs.put_file(str(path), remote + PARTIAL_SUFFIX)
            self.fs.mv(remote + PARTIAL_SUFFIX, remote)

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
            if self._is_local_copy(remote, path) or not self.fs.exists(remote):
                continue
            partial = path.with_name(path.name + PARTIAL_SUFFIX)
            self.fs.get_file(remote, str(partial))
            partial.replace(path)
        return True
