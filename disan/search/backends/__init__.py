"""Search backends: the contract in ``base``, implementations beside it."""
