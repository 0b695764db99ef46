"""Running a batch on a dask.distributed cluster (`--executor dask --scheduler ADDRESS`, the
optional extra `actverify[dask]`).

Each activation is one dask task. Inside it the activation is checked exactly as locally: a
forked worker per activation (verifier.workers) with the same time limit per property and the
same memory cap, so a hung analysis is killed on the dask worker and a crash costs one property.
De-duplication and the result store stay with the client (verifier.batch), so their semantics
are the local ones. A dask worker that dies is replaced by dask, which reruns its tasks; an
activation whose task keeps killing workers is reported with an internal error, not lost.

What it does not do: ship the verifier to the workers. They need the same actverify version
installed (a different one would give other results under the same store key).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from verifier.errors import InputError
from verifier.model import Activation, ActivationError, ActivationResult

if TYPE_CHECKING:
    from verifier.engine import Options


class Executor(Protocol):
    def check(self, batch: list[Activation], options: Options) -> Iterator[ActivationResult]:
        """Results of `batch`, in its order."""
        ...


class DaskExecutor:
    """Sends activations to the dask scheduler at `address` ("tcp://host:8786"); results
    come back in input order as they are ready."""

    def __init__(self, address: str, *, connect_timeout: float = 30.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError("executor: dask needs the optional extra: pip install "
                             "'actverify[dask]'") from None
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"scheduler: cannot connect to {address!r}: {exc}") from None

    def check(self, batch: list[Activation], options: Options) -> Iterator[ActivationResult]:
        from distributed import KilledWorker

        futures = self.client.map(check_one, batch, options=options, pure=False)
        try:
            for activation, future in zip(batch, futures):
                try:
                    yield future.result()
                except KilledWorker as exc:
                    yield _lost(activation, options, f"the dask workers running it died "
                                                     f"({exc})")
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        self.client.close()


def check_one(activation: Activation, *, options: Options) -> ActivationResult:
    """The dask task: one activation, checked as `check_activation` does it locally."""
    from verifier.engine import check_activation

    return check_activation(activation, properties=options.properties,
                            timeout=options.timeout, epsilon=options.epsilon,
                            examples=options.examples, rules=options.rules,
                            max_memory=options.max_memory, budget=options.budget)


def _lost(activation: Activation, options: Options, message: str) -> ActivationResult:
    from verifier.properties.registry import unknown

    return ActivationResult(
        name=activation.name, expr=activation.expr, variable=activation.variable,
        source=activation.source,
        file=activation.file, line=activation.line, column=activation.column,
        properties={pid: unknown(pid, f"internal error: {message}")
                    for pid in options.properties},
        error=ActivationError(kind="internal", message=message))
