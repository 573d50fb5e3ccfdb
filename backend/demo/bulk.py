"""Batched inserts with a progress bar per stage and a tally of the rows written."""

import time
from collections import Counter

from django.db import models

BATCH_SIZE = 500


class ProgressBar:
    """A one-line text bar redrawn in place: `label [#####.....]  50%  250/500`."""

    WIDTH = 30

    def __init__(self, stream, label: str, total: int):
        self.stream = stream
        self.label = label
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.live = bool(getattr(stream, "isatty", lambda: False)())  # redraw in place on a terminal
        self._drawn = -1
        self._draw()

    def advance(self, count: int) -> None:
        self.done += count
        self._draw()

    def close(self) -> None:
        seconds = time.monotonic() - self.started
        self._draw(force=True)
        self.stream.write(f" {seconds:.2f}s\n")
        self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        fraction = self.done / self.total if self.total else 1.0
        percent = int(fraction * 100)
        if not force and (percent == self._drawn or not self.live):
            return
        self._drawn = percent
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        start = "\r" if self.live else ""
        self.stream.write(f"{start}{self.label:<22} [{bar}] {percent:3d}% {self.done:>7}/{self.total}")
        self.stream.flush()


class BulkWriter:
    """Inserts model instances in batches and counts them by model."""

    def __init__(self, stream, batch_size: int = BATCH_SIZE):
        self.stream = stream
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()

    def insert(self, label: str, objs: list[models.Model]) -> list[models.Model]:
        if not objs:
            return objs
        model = type(objs[0])
        bar = ProgressBar(self.stream, label, len(objs))
        for start in range(0, len(objs), self.batch_size):
            chunk = objs[start : start + self.batch_size]
            model.objects.bulk_create(chunk, batch_size=self.batch_size)
            bar.advance(len(chunk))
        bar.close()
        if objs[-1].pk is None:
            raise RuntimeError(f"The database did not return the ids of the new {model.__name__} rows.")
        self.counts[model._meta.verbose_name_plural] += len(objs)
        return objs

    def update(self, label: str, objs: list[models.Model], fields: list[str]) -> None:
        if not objs:
            return
        model = type(objs[0])
        bar = ProgressBar(self.stream, label, len(objs))
        for start in range(0, len(objs), self.batch_size):
            chunk = objs[start : start + self.batch_size]
            model.objects.bulk_update(chunk, fields, batch_size=self.batch_size)
            bar.advance(len(chunk))
        bar.close()
