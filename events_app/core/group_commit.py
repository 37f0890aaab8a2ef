"""Group commit: requests that arrive for one key (an event) while its last batch is being decided wait, and are
then decided together, in the order they arrived, in one transaction: one lock, one count and one commit for the
lot instead of one each. Nobody waits for a batch to fill: a request that finds nothing running is decided at
once, alone, so a quiet event pays nothing. Each request still gets its own answer: a batch that fails as a whole
(a database error) is decided again one request at a time, so one person's trouble never becomes another's."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Answer = TypeVar("Answer")

# Decides a batch: one answer per item, in order; an exception in the list is that item's own refusal.
Decide = Callable[[int, list[Item]], Awaitable[list[Answer | BaseException]]]


@dataclass
class _Waiting(Generic[Item, Answer]):
    item: Item
    answer: asyncio.Future[Answer]


@dataclass
class _Loop(Generic[Item, Answer]):
    """What waits for each key on one event loop, and the task deciding each key's batches while it runs."""

    waiting: dict[int, list[_Waiting[Item, Answer]]] = field(default_factory=dict)
    deciding: dict[int, asyncio.Task[None]] = field(default_factory=dict)


class GroupCommit(Generic[Item, Answer]):
    def __init__(self, decide: Decide[Item, Answer], *, most: int) -> None:
        self._decide = decide
        self._most = most  # items in one batch (bound parameters per statement set the limit)
        # Each event loop's own (a restart, a test): what a closed loop held goes with it.
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Loop[Item, Answer]] = (
            weakref.WeakKeyDictionary()
        )

    def _loop(self) -> _Loop[Item, Answer]:
        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None:
            state = self._loops[loop] = _Loop()
        return state

    async def submit(self, key: int, item: Item) -> Answer:
        """The item's answer, decided with whatever else arrived for `key` meanwhile; its refusal is raised."""
        state = self._loop()
        waiting = _Waiting[Item, Answer](item, asyncio.get_running_loop().create_future())
        state.waiting.setdefault(key, []).append(waiting)
        if key not in state.deciding:
            state.deciding[key] = asyncio.create_task(self._drain(state, key))
        # The batch goes on if this request goes away (a client that hangs up): the others in it wait for it.
        return await asyncio.shield(waiting.answer)

    async def _drain(self, state: _Loop[Item, Answer], key: int) -> None:
        try:
            while batch := state.waiting.pop(key, None):
                for start in range(0, len(batch), self._most):
                    await self._settle(key, batch[start : start + self._most])
        finally:
            del state.deciding[key]  # no await since the last pop: nothing arrived unseen

    async def _settle(self, key: int, batch: list[_Waiting[Item, Answer]]) -> None:
        try:
            answers = await self._decide(key, [w.item for w in batch])
        except asyncio.CancelledError:  # the service stops: nobody is left waiting for an answer
            for waiting in batch:
                waiting.answer.cancel()
            raise
        except Exception as exc:
            if len(batch) == 1:
                answers = [exc]
            else:
                logger.warning("A batch of %d failed (%s): each is decided alone", len(batch), type(exc).__name__)
                for waiting in batch:
                    await self._settle(key, [waiting])
                return
        for waiting, answer in zip(batch, answers, strict=True):
            if waiting.answer.done():
                continue
            if isinstance(answer, BaseException):
                waiting.answer.set_exception(answer)
            else:
                waiting.answer.set_result(answer)
