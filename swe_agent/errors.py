"""Domain errors. Deep code raises these; only cli.py turns them into one line and an exit code."""


class SweAgentError(Exception):
    """An error the user can act on. `hint` says what to do next."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}: {self.hint}" if self.hint else self.message


class NotARepository(SweAgentError):
    pass


class EmptyRepository(SweAgentError):
    pass


class StoreError(SweAgentError):
    """The store under .swe_agent/ is missing, corrupt, foreign or locked."""


class NoIndex(StoreError):
    pass


class StoreLocked(StoreError):
    pass


class StoreCorrupt(StoreError):
    """The store's file is damaged: a table or its catalog cannot be read back."""


class PathRefused(SweAgentError):
    """A tool was asked to read outside the repository or a secret-looking file."""


class ModelError(SweAgentError):
    """The model endpoint failed after retries, or answered something unusable."""


def interrupted(exc: BaseException) -> bool:
    """Whether exc is a Ctrl-C, in its own form or another: DuckDB's 'Query interrupted' when it
    met a query, or the error of a C extension whose call into Python it met (tree-sitter
    compiling a tag query's regular expression raises QueryError from the KeyboardInterrupt)."""
    return (
        isinstance(exc, KeyboardInterrupt)
        or str(exc) == "Query interrupted"
        or isinstance(exc.__cause__, KeyboardInterrupt)
    )
