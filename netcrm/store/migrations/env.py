"""Alembic environment. netcrm always hands in an open connection (see
netcrm.store.engine.ensure_schema) that already holds the write lock, so the
whole upgrade runs in that one transaction."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - netcrm never runs alembic without one
    raise RuntimeError("netcrm migrations must be run through netcrm.store.engine")

context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
