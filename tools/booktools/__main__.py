"""``python -m booktools`` is the ``book`` command."""

import sys

from .cli import main

sys.exit(main())
