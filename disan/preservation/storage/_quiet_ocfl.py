"""Import ocfl-py without letting it turn on every library's INFO lines.

pairtree, which ocfl-py imports, calls ``logging.basicConfig(level=INFO)``
when it is imported: the root logger would then print INFO lines of every
library (ocfl-py's "Storage root layout is ...", botocore's credentials)
under every command. Whatever that import adds to the root logger is
undone here.
"""

import logging

_root = logging.getLogger()
_handlers, _level = list(_root.handlers), _root.level

import ocfl  # noqa: E402, F401

for _handler in _root.handlers[:]:
    if _handler not in _handlers:
        _root.removeHandler(_handler)
_root.setLevel(_level)
