"""The kinds of refusal a service raises, beyond a malformed input.

Each is a Django ``ValidationError``, so the web views, which show a ``ValidationError`` as the
form's errors, show them as before; the API tells them apart (kernel/api/errors.py):

- ``ReferenceNotFound`` (404 ``not_found``): an object named in the input does not exist or
  the actor may not see it; the two are the same answer, and the message never says which.
- ``StateConflict`` (409 ``conflict``): the object's current state does not allow the action
  (a transition from the wrong state), or the write collides with existing data (a name taken,
  a duplicate open request).
- ``RuleViolation`` (422 ``unprocessable``): the input is well-formed and names existing
  objects, but breaks a rule across fields or against the data (a reason a choice requires,
  a date order, an item above what was granted).

A plain ``ValidationError`` stays what it was: the input itself is not valid (400 ``invalid``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ReferenceNotFound(ValidationError):
    """An object named in the input does not exist, or the actor may not see it."""


class StateConflict(ValidationError):
    """The object's state does not allow the action, or the write collides with existing data."""


class RuleViolation(ValidationError):
    """The input breaks a rule across its fields or against the data the schema cannot state."""
