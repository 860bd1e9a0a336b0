"""What an ingest counts, in one shape for a whole run and for one worker's shard of it.

Where it sits: `presslens.corpus.ingest.IngestReport` (the run, what `presslens ingest` prints)
and `presslens.corpus.shards.ShardReport` (one shard read, analysed and stored by a worker)
both extend `IngestCounts`; the client sums shard reports into the run's with `merge`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from presslens.pipeline import StageStats


@dataclass(kw_only=True)
class IngestCounts:
    """Pages read, added and already stored; failures and warnings by reason; per-stage
    statistics; one example source per failure reason."""

    read: int = 0
    added: int = 0
    already_stored: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    stats: dict[str, StageStats] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)  # reason -> one failing source

    def merge(self, part: IngestCounts) -> None:
        """Add `part`'s counts to these (a shard's into its run's)."""
        self.read += part.read
        self.added += part.added
        self.already_stored += part.already_stored
        self.failures.update(part.failures)
        self.warnings.update(part.warnings)
        for reason, example in part.examples.items():
            self.examples.setdefault(reason, example)
        self.add_stats(part.stats)

    def add_stats(self, stats: dict[str, StageStats]) -> None:
        for name, st in stats.items():
            self.stats.setdefault(name, StageStats()).add(st)
