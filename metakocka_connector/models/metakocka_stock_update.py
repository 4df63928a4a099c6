from odoo import api, fields, models
from odoo.tools import SQL

#: Products one call of the scheduled action reads again per company.
CLAIM_SIZE = 500


class MetakockaStockUpdate(models.Model):
    """A product whose stock is read again from Metakocka (``warehouse_stock`` by its code): Metakocka's
    stock webhook named it, or a user asked. Once per company and code; a second notice only moves its
    time, so that a change noticed while it is being read is read again."""

    _name = "metakocka.stock.update"
    _description = "Metakocka stock to read again"
    _order = "id"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    product_code = fields.Char("Product code", required=True, help="Metakocka's code (Odoo's Internal Reference).")
    named_by_metakocka = fields.Boolean(
        help="Metakocka's webhook named it, so Metakocka knows the product: no stock rows there mean no stock.")
    received_at = fields.Datetime(required=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE (company_id, product_code)", "This product is already waiting to be read."),
    ]

    @api.model
    def _enqueue(self, company, codes, named_by_metakocka=True):
        """Note ``codes`` to read again and wake the scheduled action (once for a burst)."""
        if not codes:
            return
        self.env.cr.execute(SQL(
            """INSERT INTO metakocka_stock_update (company_id, product_code, named_by_metakocka, received_at)
               SELECT %(company)s, code, %(named)s, clock_timestamp() at time zone 'UTC' FROM unnest(%(codes)s::varchar[]) code
               ON CONFLICT (company_id, product_code) DO UPDATE
                  SET received_at = EXCLUDED.received_at,
                      named_by_metakocka = metakocka_stock_update.named_by_metakocka OR EXCLUDED.named_by_metakocka""",
            company=company.id, named=bool(named_by_metakocka), codes=list(codes)))
        self.env["metakocka.stock.sync"]._wake()

    @api.model
    def _claim(self, company, size=CLAIM_SIZE):
        """Up to ``size`` waiting products of ``company`` no other worker holds."""
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT id FROM metakocka_stock_update WHERE company_id = %s ORDER BY id LIMIT %s
               FOR UPDATE SKIP LOCKED""", company.id, size))
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _clock(self):
        """The database's clock now, to the microsecond, as ``received_at`` is written: a notice that arrives
        in the same second as a read, after it began, is later than this (``fields.Datetime.now()`` drops
        the fraction, and would forget it unread, or keep one that was read)."""
        self.env.cr.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
        return self.env.cr.fetchone()[0]

    def _done(self, read_at):
        """Forget these products, unless noticed again after ``read_at`` (:meth:`_clock`; then they are read
        again)."""
        if self:
            self.env.cr.execute(SQL("DELETE FROM metakocka_stock_update WHERE id IN %s AND received_at <= %s",
                                    tuple(self.ids), read_at))
            self.invalidate_model()

    @api.model
    def _action_queue_products(self, records):
        """The products' "Update stock from Metakocka" action: their stock is read again in the background."""
        company = self.env.company
        products = records.product_variant_ids if records._name == "product.template" else records
        codes = sorted(set(products.filtered(lambda product: product.is_storable and product.default_code)
                           .mapped("default_code")))
        if company.metakocka_stock_master != "metakocka":
            kind, message = "warning", self.env._(
                "Odoo keeps the stock of %(company)s: its levels go to Metakocka, a warehouse at a time, from "
                "Settings → Metakocka.", company=company.name)
        elif not codes:
            kind, message = "warning", self.env._("None of these is a storable product with an Internal Reference.")
        else:
            self._enqueue(company, codes, named_by_metakocka=False)
            kind, message = "info", self.env._("The stock of %(count)s products is read from Metakocka in the "
                                               "background.", count=len(codes))
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Metakocka stock levels"), "type": kind, "message": message}}
