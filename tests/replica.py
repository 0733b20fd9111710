"""The mark for tests that read through the replica's alias: pytest-django refuses queries to
an alias a test did not name (docs/decisions/0672-tests-read-reports-through-the-replica.md)."""

import pytest

WITH_REPLICA = pytest.mark.django_db(databases=["default", "replica"])
