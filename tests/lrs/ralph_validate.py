"""Checks xAPI statements (JSON Lines on stdin) against Ralph's generic xAPI 1.0.3 model:
executed by Ralph's own interpreter, never imported by the tests. Prints one line per
invalid statement ('ID: errors') and exits 1 if there was any."""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

bad = 0
for line in sys.stdin:
    statement = json.loads(line)
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as e:
        bad += 1
        print(f"{statement.get('id')}: {e}")
sys.exit(1 if bad else 0)
