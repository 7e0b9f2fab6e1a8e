"""The repair procedure of the standard, steps 2 to 10: disposition, diagnosis, approval of
equipment for heavy faults, repair report, and the OPD's sign-off on the berita acara.

Every status change runs one row of the transition table (`bot.services.ticket_flow`): the
actor's role and the ticket's state are checked there, the ticket moves with a conditional
UPDATE, an event is appended and the SLA clocks rescheduled; the use cases here add what each
step stores and the notices it queues, all in one commit. The modules follow the procedure:
`disposition` (2-5), `material` (6-7), `repair` (8-10), `letter`, `withdrawal` (by the OPD),
and `prompted` for the actions that ask for a reason first; this package exports their use
cases.
"""

from bot.services.workflow.disposition import (
    cancel,
    classify_light,
    dispose,
    hold,
    reassign,
    reject_report,
    resume,
    technicians,
)
from bot.services.workflow.letter import add_letter, check_letter
from bot.services.workflow.material import (
    approved_items,
    decide_material,
    submit_material_request,
)
from bot.services.workflow.prompted import precheck, run_prompted
from bot.services.workflow.repair import (
    berita_acara_pdf,
    confirm_fixed,
    not_fixed,
    pdf_by_id,
    rate,
    report_repair,
    sign_off_start,
    signatory_defaults,
)
from bot.services.workflow.validation import (
    ITEM_NAME_MAX,
    ITEMS_MAX,
    LONG_TEXT_MAX,
    NOTE_MAX,
    PHOTOS_MAX,
    QUANTITY_MAX,
    SERIAL_MAX,
    SPEC_MAX,
    TEXT_MIN,
    UNIT_MAX,
    clean_long_text,
    clean_material_line,
    clean_note,
    clean_replaced_line,
    clean_signatory,
)
from bot.services.workflow.withdrawal import withdraw

__all__ = [
    "ITEMS_MAX",
    "ITEM_NAME_MAX",
    "LONG_TEXT_MAX",
    "NOTE_MAX",
    "PHOTOS_MAX",
    "QUANTITY_MAX",
    "SERIAL_MAX",
    "SPEC_MAX",
    "TEXT_MIN",
    "UNIT_MAX",
    "add_letter",
    "approved_items",
    "berita_acara_pdf",
    "cancel",
    "check_letter",
    "classify_light",
    "clean_long_text",
    "clean_material_line",
    "clean_note",
    "clean_replaced_line",
    "clean_signatory",
    "confirm_fixed",
    "decide_material",
    "dispose",
    "hold",
    "not_fixed",
    "pdf_by_id",
    "precheck",
    "rate",
    "reassign",
    "reject_report",
    "report_repair",
    "resume",
    "run_prompted",
    "sign_off_start",
    "signatory_defaults",
    "submit_material_request",
    "technicians",
    "withdraw",
]
