"""The cost-per-source plot of `make bench`: flat lines mean a night grows linearly with sources."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: the plot is a file

import matplotlib.pyplot as plt

from bench.bench_scale import COSTS, Scale

OUT = Path(__file__).resolve().parent / "out"


def plot_cost_per_source(scales: list[Scale], path: Path = OUT / "cost_per_source.png") -> Path:
    """Median ms per source against the number of sources, one line per kind of run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    sizes = [scale.sources for scale in scales]
    for name, label in COSTS.items():
        axes.plot(sizes, [scale.per_source_ms(name) for scale in scales], marker="o", label=label)
    axes.set_xscale("log")
    axes.set_xticks(sizes, [f"{size:,}" for size in sizes])
    axes.minorticks_off()
    axes.set_ylim(bottom=0)
    axes.set_xlabel("sources (an index and 4 program pages each)")
    axes.set_ylabel("ms per source (median of the rounds)")
    axes.set_title("Cost per source: flat lines grow linearly")
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
