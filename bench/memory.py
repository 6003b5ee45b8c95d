"""Peak memory of the processes a benchmark starts, sampled from a thread."""

from __future__ import annotations

import threading

import psutil


class PeakMemory:
    """Samples this process's children every half second: the largest RSS of one of them (the
    Scrapy crawl of a night). RSS only, which is cheap to read, so the sampling costs little."""

    def __enter__(self) -> PeakMemory:
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def sample(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(0.5):
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    continue

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
