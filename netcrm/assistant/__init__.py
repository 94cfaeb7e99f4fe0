"""netcrm for AI assistants: a Model Context Protocol server (PRODUCT.md §9).

A second front end beside :mod:`netcrm.cli`, started by ``netcrm mcp``. It
shares the command line's plumbing (:mod:`netcrm.cli.common`: the database of
``--db``/``NETCRM_DB``, the pinned "today", WHO resolution, one write
transaction per change) and calls the same domain functions as the commands,
so a tool's result is the matching ``--json`` output and a tool's error is the
command's ``Error:`` line.

- :mod:`netcrm.assistant.tools`: the tools as plain functions (no SDK);
- :mod:`netcrm.assistant.server`: the SDK wiring (tools, resources, prompts).

Only :mod:`netcrm.assistant.server` imports the ``mcp`` SDK, and only
``netcrm mcp`` imports this package.
"""
