"""State changes of catalog records, one module per verb.

Each module offers a permission check and an execute step; the staff
interface and commands call the execute step, which checks first.
"""
