"""What netcrm knows: contacts, interactions, ideas, follow-ups, keys, due,
reports. Plain functions taking ``(*, session, ...)`` for writes or
``(reader, ...)`` for reads; never imports typer or rich. Domain functions
never commit: the caller's ``write_session`` does, once, so a command is one
transaction."""
