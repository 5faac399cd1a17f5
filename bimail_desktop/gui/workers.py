"""Background work for the GUI: a worker QObject moved to its own QThread.

Every network step and every long query runs here, never on the GUI thread. Workers report
only through signals (``progress``, ``finished(result)``, ``failed(error)``) and never touch
a widget. A :class:`TaskRunner` keeps a reference to every running thread so that closing a
window can cancel them and ``wait()`` — no "QThread: Destroyed while thread is still
running".

    runner = TaskRunner(self)
    task = runner.start(mailbox.send_test_mail, "a@example.com", settings=s, password=p,
                        on_finished=self._done, on_failed=self._failed)
    ...
    task.cancel()          # the Cancel button
    runner.shutdown()      # in closeEvent
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..mail.cancel import CancelToken

log = logging.getLogger(__name__)


class Worker(QObject):
    """Runs ``fn(*args, **kwargs)`` once in its thread. If ``fn`` accepts ``cancel`` or
    ``progress`` keyword arguments they are passed a CancelToken and a callable that emits
    :attr:`progress`."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception (BimailError for everything the user may see)
    done = Signal()  # after finished or failed, always

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.cancel_token = CancelToken()
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}  # type: ignore[assignment]
        if "cancel" in params and "cancel" not in kwargs:
            self.kwargs["cancel"] = self.cancel_token
        if "progress" in params and "progress" not in kwargs:
            self.kwargs["progress"] = self.progress.emit

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread
            if not isinstance(exc, Exception):
                log.error("worker stopped by %s", type(exc).__name__)
            self.failed.emit(exc)
        else:
            self.finished.emit(result)
        finally:
            self.done.emit()


class _Relay(QObject):
    """Lives in the GUI thread; the worker's signals reach the callbacks through it, so
    every callback runs on the GUI thread (queued connection)."""

    def __init__(
        self,
        parent: QObject,
        on_finished: Callable[[Any], None] | None,
        on_failed: Callable[[BaseException], None] | None,
        on_progress: Callable[[Any], None] | None,
        on_done: Callable[[], None] | None,
    ) -> None:
        super().__init__(parent)
        self._finished = on_finished
        self._failed = on_failed
        self._progress = on_progress
        self._done = on_done

    @Slot(object)
    def finished(self, result: Any) -> None:
        if self._finished is not None:
            self._finished(result)

    @Slot(object)
    def failed(self, error: BaseException) -> None:
        if self._failed is not None:
            self._failed(error)
        else:
            log.error("background task failed: %s", error)

    @Slot(object)
    def progress(self, value: Any) -> None:
        if self._progress is not None:
            self._progress(value)

    @Slot()
    def done(self) -> None:
        if self._done is not None:
            self._done()


class Task:
    """A running worker and its thread."""

    def __init__(self, worker: Worker, thread: QThread, relay: _Relay) -> None:
        self.worker = worker
        self.thread = thread
        self.relay = relay

    def cancel(self) -> None:
        self.worker.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.thread.wait(msecs)


class TaskRunner(QObject):
    """Starts workers in threads, keeps them alive, and shuts them down on close."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[Task] = []

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        on_done: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        thread = QThread()
        worker = Worker(fn, *args, **kwargs)
        worker.moveToThread(thread)
        relay = _Relay(self, on_finished, on_failed, on_progress, on_done)
        task = Task(worker, thread, relay)
        worker.progress.connect(relay.progress)
        worker.finished.connect(relay.finished)
        worker.failed.connect(relay.failed)
        worker.done.connect(relay.done)
        worker.done.connect(thread.quit)
        thread.finished.connect(relay.deleteLater)
        thread.finished.connect(lambda: self._forget(task))
        thread.started.connect(worker.run)
        self._tasks.append(task)
        thread.start()
        return task

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    @property
    def busy(self) -> bool:
        return any(t.running for t in self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def shutdown(self, msecs: int = 30_000) -> None:
        """Cancel every task and wait for its thread (call from closeEvent)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            task.thread.quit()
            if not task.thread.wait(msecs):
                log.error("a background task did not stop within %d ms", msecs)
        self._tasks.clear()
