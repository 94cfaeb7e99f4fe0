"""The schema revisions this version of netcrm knows, oldest first.

Kept apart from Alembic so that opening an up-to-date database costs one
``SELECT`` and no Alembic import. A test checks this list against the revision
files in ``migrations/versions``.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]
