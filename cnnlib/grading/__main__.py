"""``python -m cnnlib.grading``: see :mod:`cnnlib.grading.cli`."""

import sys

from .cli import main

sys.exit(main())
