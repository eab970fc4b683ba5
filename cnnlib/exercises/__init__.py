"""The checkers of the book's exercises, one module per chapter.

Each module registers its checkers with :func:`cnnlib.check.checker`; importing
this package registers them all. The ids are ``<chapter>-<n>``.
"""

from importlib import import_module
from pkgutil import iter_modules

for _info in iter_modules(__path__):
    import_module(f"{__name__}.{_info.name}")
