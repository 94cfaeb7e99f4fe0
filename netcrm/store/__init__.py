"""Storage: where the database is, how it is opened, migrated and read."""
