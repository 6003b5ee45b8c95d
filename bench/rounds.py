"""A/B interleaving: A then B in even rounds, B then A in odd ones, so a load that comes and goes
on the shared machine hits both sides alike; each side's timings are kept per name for medians."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

Timings = dict[str, list[float]]
Step = Callable[[int], dict[str, float]]
"""One side of a round: given the round number, run and return its named timings in seconds."""


def interleaved(first: Step, second: Step, rounds: int) -> Timings:
    """Every timing of `rounds` rounds of `first` and `second`, the order swapped each round."""
    timings: Timings = defaultdict(list)
    for round_ in range(rounds):
        for step in (first, second) if round_ % 2 == 0 else (second, first):
            for name, value in step(round_).items():
                timings[name].append(value)
    return dict(timings)
