"""OCR engines: a contract in ``base`` and implementations beside it."""
