"""All user-facing text, Indonesian (formal). One module per audience or flow.

`labels` names domain values and escapes HTML, `refusals` words every refused action (one table
from a domain error's code to its sentence), `common` formats dates and times; flows add their
own modules.
"""
