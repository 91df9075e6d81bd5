"""Domain errors shared by every app's services; the API maps each class to one HTTP status."""


class DomainError(Exception):
    """A rule of the domain refused the operation. `field` names the input at fault, if any;
    `details` are more members of the API's error body (what the client must know to retry)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def as_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}


class InvalidInput(DomainError):
    status_code = 400


class NotAllowed(DomainError):
    """The actor lacks the role the operation needs."""

    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """The operation clashes with the state: a closed draft, a published clause, a duplicate."""

    status_code = 409


class TooMany(DomainError):
    """The actor has too many things in flight (jobs); try again once one finishes."""

    status_code = 429


class Busy(DomainError):
    """The database kept reporting lock conflicts (deadlock, serialization failure) after the
    transaction was retried: nothing was written; the same request may simply be sent again."""

    status_code = 503


class TooManyAttempts(DomainError):
    """Refused for a while after repeated failures (a sign-in lockout)."""

    status_code = 429
