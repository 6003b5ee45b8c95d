"""Timed runs of what a user starts: `clerkships run` (python -m flows run), a bare Scrapy download."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawlers import settings as crawler_settings
from crawlers.config import load_config

REPO = Path(__file__).resolve().parents[1]
BARE_SPIDER = Path(__file__).resolve().with_name("bare_spider.py")
STATUS_200 = re.compile(r"'downloader/response_status_count/200': (\d+)")


@dataclass(frozen=True)
class Night:
    """One `clerkships run`: its wall time, its crawl stage (from status.json), the CPU time of its
    whole process tree, and the page counts."""

    seconds: float
    crawl_seconds: float
    cpu_seconds: float
    totals: dict[str, int]


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished descendant of this process: the crawl, its
    page readers, Chromium. On a shared machine they vary far less than wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def clean_env() -> dict[str, str]:
    """This environment without Prefect settings: no server, the data dir's own Prefect home, as a
    newcomer runs it."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def totals(status: Mapping[str, Any]) -> dict[str, int]:
    keys = ("pages_fetched", "pages_not_modified", "pages_failed", "items")
    return {key: sum(source[key] for source in status["sources"].values()) for key in keys}


def run_night(config: Path, data_dir: Path, repo: Path = REPO) -> Night:
    """One `python -m flows run` from `repo`, start to exit; its crawl stage is the status.json's
    `crawl_seconds` (from the plan written to the shards' status merged)."""
    started, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--config", str(config), "--data-dir", str(data_dir)],
        cwd=repo,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"clerkships run failed ({data_dir}): {done.stderr[-2000:]}")
    status = json.loads(max((data_dir / "runs").glob("*/status.json")).read_text(encoding="utf-8"))
    return Night(elapsed, status["crawl_seconds"], children_cpu() - cpu, totals(status))


def bare_download(config: Path, urls: list[str], work: Path) -> tuple[float, float]:
    """Wall and CPU seconds for `bench/bare_spider.py` to fetch `urls` with the config's politeness and the
    crawler's overall concurrency, from a folder without the project's scrapy.cfg; checks that every
    page came back 200."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    politeness = load_config(config).settings.politeness
    values = {
        "CONCURRENT_REQUESTS": crawler_settings.CONCURRENT_REQUESTS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": politeness.concurrency_per_host,
        "DOWNLOAD_DELAY": politeness.download_delay,
        "DOWNLOAD_TIMEOUT": politeness.download_timeout,
        "ROBOTSTXT_OBEY": True,
        "TELNETCONSOLE_ENABLED": False,
        "USER_AGENT": load_config(config).settings.user_agent,
    }
    command = [sys.executable, "-m", "scrapy", "runspider", str(BARE_SPIDER), "-a", f"urls={work / 'urls.txt'}"]
    for name, value in values.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    log = work / "bare.log"
    started, cpu = time.perf_counter(), children_cpu()
    with log.open("wb") as out:
        subprocess.run(command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    elapsed, cpu = time.perf_counter() - started, children_cpu() - cpu
    found = STATUS_200.search(log.read_text(encoding="utf-8", errors="replace"))
    if not found or int(found[1]) < len(urls):
        raise SystemExit(f"bare download fetched {found[1] if found else 0} of {len(urls)} pages; see {log}")
    return elapsed, cpu
