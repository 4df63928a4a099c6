"""Scenario 6: ERPNext — a first pull of 2 000 customers with the server SIGKILLed half-way, and a push
whose create arrived but whose follow-up read failed.

Proves that the pull resumes after a real restart and ends with every customer linked exactly once
(2 000 links, 2 000 distinct ERPNext IDs) and no partner made twice; and that a new contact whose
Customer was created in ERPNext while every read of it right after failed is not created again by
the next push: ERPNext ends with exactly one customer of that name, no "Name - 1".
"""

import time

NUMBER, TITLE, LIMIT = 6, "ERPNext pull SIGKILLed half-way, push with a lost read", 480
CUSTOMERS = 2000
RECOVERY_LIMIT = 300
#: The run commits a page of 500 customers at a time: killed once 40 % are in, it dies in the middle
#: of the page that brings it past half-way.
KILL_AT = CUSTOMERS * 2 // 5
#: Every read of the new customer fails after its create (the client's retries included).
READ_OPS = ["list:Customer", "get:Customer", "method:frappe.client.get_list", "method:frappe.client.get"]
RUN_FIELDS = ["state", "processed_count", "created_count", "updated_count", "unchanged_count", "failed_count",
              "message"]


def run(lab, trial):
    pull_with_kill(lab, trial)
    if trial.remaining() > 60:
        push_with_lost_read(lab, trial)
    else:
        trial.check(False, "no time left for the push")


# -- the pull -------------------------------------------------------------------------------------


def pull_with_kill(lab, trial):
    server, erpnext = lab.servers["A"], lab.erpnext.admin
    odoo = server.rpc()
    erpnext.reset()
    erpnext.seed(CUSTOMERS, seed=NUMBER)
    names = [doc["name"] for doc in erpnext.docs("Customer")]
    odoo.call("res.partner", "action_erpnext_pull", [])  # Contacts → "Sync from ERPNext"
    run_id = latest_run(odoo, "pull")
    seen = {}

    def half_way():
        seen.update(read_run(odoo, run_id))
        return seen["processed_count"] >= KILL_AT or seen["state"] in ("done", "failed")

    if not trial.wait_or_fail(half_way, trial.remaining() - RECOVERY_LIMIT - 90, "the pull half-way", interval=0.2):
        return
    server.kill()
    trial.figure(f"killed at {seen['processed_count']}/{CUSTOMERS} processed")
    trial.check(seen["state"] not in ("done", "failed"), "the pull ended before the kill")
    restarted = time.monotonic()
    trial.figure(f"started again (answering after {server.start():.1f} s)")
    odoo = server.rpc()
    ended = trial.wait(lambda: read_run(odoo, run_id)["state"] in ("done", "failed"),
                       RECOVERY_LIMIT - (time.monotonic() - restarted))
    report_pull(trial, odoo, run_id, names, ended, time.monotonic() - restarted)


def report_pull(trial, odoo, run_id, names, ended, recovery):
    state = read_run(odoo, run_id)
    links = odoo.call("erpnext.customer.link", "search_read", [("erpnext_id", "in", names)],
                      ["erpnext_id", "partner_id"])
    distinct = len({link["erpnext_id"] for link in links})
    partner_names = [row["name"] for row in odoo.call("res.partner", "read", [link["partner_id"][0] for link in links
                                                                             if link["partner_id"]], ["name"])]
    twice = len(partner_names) - len(set(partner_names))
    partners = odoo.call("res.partner", "search_count", [("name", "in", names), ("active", "in", (True, False))])
    trial.figure(f"pull {state['state']} {recovery:.0f} s after the restart ({state['processed_count']} processed, "
                 f"{state['created_count']} created, {state['unchanged_count']} unchanged, {state['failed_count']} "
                 f"failed), {len(links)} links, "
                 f"{distinct} ERPNext IDs, {partners} partners of those names, {twice} linked partners twice")
    trial.check(ended and state["state"] == "done",
                f"the pull is {state['state']} {recovery:.0f} s after the restart: {state['message'] or ''}".strip())
    trial.check(len(links) == CUSTOMERS and distinct == CUSTOMERS,
                f"{len(links)} links with {distinct} distinct ERPNext IDs for {CUSTOMERS} customers")
    trial.check(twice == 0, f"{twice} partners linked twice by name")
    trial.check(partners == CUSTOMERS, f"{partners} partners for {CUSTOMERS} customers")


# -- the push -------------------------------------------------------------------------------------


def push_with_lost_read(lab, trial):
    odoo, erpnext = lab.servers["A"].rpc(), lab.erpnext.admin
    name = f"Chaos Lost Read {int(time.time())}"
    slovenia = odoo.call("res.country", "search", [("code", "=", "SI")])[0]
    partner = odoo.call("res.partner", "create", {
        "name": name, "is_company": True, "email": "lost.read@chaos.example", "street": "Tržaška cesta 5",
        "city": "Ljubljana", "zip": "1000", "country_id": slovenia})
    erpnext.add_fault("http_error", status=500, times=None, ops=READ_OPS, match=name, after="insert:Customer")
    try:
        first = send_to_erpnext(trial, odoo, partner)
    finally:
        erpnext.clear_faults()
    second = send_to_erpnext(trial, odoo, partner)
    customers = [doc["name"] for doc in erpnext.docs("Customer") if doc.get("customer_name") == name]
    trial.figure(f"push with the read failing: {first}; next push: {second}; {len(customers)} ERPNext customers "
                 f"named '{name}' ({', '.join(customers)})")
    trial.check(customers == [name], f"{len(customers)} ERPNext customers for one contact: {', '.join(customers)}")


def send_to_erpnext(trial, odoo, partner):
    """The contact's "Send to ERPNext"; what the run and the link say once it ended."""
    odoo.call("res.partner", "action_erpnext_push", [partner])
    run_id = latest_run(odoo, "push")
    trial.wait_or_fail(lambda: read_run(odoo, run_id)["state"] in ("done", "failed"), 120, "the push's end")
    state = read_run(odoo, run_id)
    [link] = odoo.call("erpnext.customer.link", "search_read", [("partner_id", "=", partner)],
                       ["state", "erpnext_id", "last_error"])
    error = (link["last_error"] or "").splitlines()[0][:100] if link["last_error"] else ""
    return (f"run {state['state']} ({state['created_count']} created, {state['failed_count']} failed), link "
            f"{link['state']} {link['erpnext_id'] or '-'}" + (f" \"{error}\"" if error else ""))


# -- reading runs ---------------------------------------------------------------------------------


def latest_run(odoo, operation):
    return odoo.call("erpnext.sync.run", "search", [("operation", "=", operation)], order="id desc", limit=1)[0]


def read_run(odoo, run_id):
    return odoo.call("erpnext.sync.run", "read", [run_id], RUN_FIELDS)[0]
