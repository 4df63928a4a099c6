from odoo import fields, models

#: The Metakocka documents whose payment is read: invoices (a credit note is not one).
BILL_TYPES = ("sales_bill_domestic", "sales_bill_foreign")


class MetakockaDocumentLink(models.Model):
    """What Metakocka knows of the payment of a linked invoice, as last read (``services/payment_status``),
    and how much of it Odoo has registered (``services/payment_register``).

    Amounts are in the invoice's currency, which is the bill's.
    """

    _inherit = "metakocka.document.link"

    mk_paid_amount = fields.Float("Paid in Metakocka", copy=False, readonly=True,
                                  help="Metakocka's sum_paid of the bill, as last read.")
    mk_paid_in_full = fields.Boolean("Paid in full in Metakocka", copy=False, readonly=True, index=True,
                                     help="Paid in full: the bill is no longer read.")
    mk_paid_in_full_on = fields.Date("Paid in full on", copy=False, readonly=True,
                                     help="Metakocka's sum_full_paid_when.")
    mk_last_paid_date = fields.Date("Last payment in Metakocka", copy=False, readonly=True)
    mk_last_paid_amount = fields.Float("Last payment amount", copy=False, readonly=True)
    mk_paid_registered = fields.Float(
        "Registered from Metakocka", copy=False, readonly=True,
        help="The part of Metakocka's paid amount already taken into Odoo (registered as payments, or left out "
             "because it was more than the invoice had open): it is never registered again.")
    mk_payment_error = fields.Text("Payment read error", copy=False, readonly=True,
                                   help="Why Metakocka's payment of this bill could not be read or registered.")
