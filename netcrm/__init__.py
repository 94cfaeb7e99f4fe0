"""netcrm: a personal CRM for the command line."""

__version__ = "0.1.0"
