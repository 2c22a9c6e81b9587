"""Runs Ralph's LRS app on 127.0.0.1 with uvicorn: executed by Ralph's own interpreter
(.venv-ralph), never imported by the tests.

Usage: python ralph_server.py PORT. Configured by the environment (RALPH_RUNSERVER_BACKEND=fs,
RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH, RALPH_AUTH_FILE), as `ralph runserver`
would be, with two workarounds (docs/lrs.md):

- `ralph runserver` binds 0.0.0.0 and reloads on file changes; this binds 127.0.0.1 only.
- The file-system backend writes with CREATE by default, which refuses an existing file, so
  every POST after the first answers 500. Writing with APPEND makes it a usable LRS.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
