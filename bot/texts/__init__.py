"""All user-facing text, Indonesian (formal). One module per audience or flow.

`common` holds shared labels, date formatting and refusals; flows add their own modules.
"""
