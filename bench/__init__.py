"""Benchmarks of netcrm and the synthetic networks they run on (see README.md)."""
