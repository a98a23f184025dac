"""`python -m bot` is the same as `consultbot`."""

import sys

from bot.cli import main

sys.exit(main())
