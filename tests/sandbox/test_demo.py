"""`python -m sandbox.demo`: both simulators with demo data, kept in state files across restarts."""

import requests

from sandbox import demo

MK_AUTH = {"company_id": demo.METAKOCKA_COMPANY_ID, "secret_key": demo.METAKOCKA_SECRET_KEY}


def search(metakocka, doc_type):
    answer = requests.post(f"{metakocka.url}/rest/eshop/v1/search", timeout=5,
                           json={**MK_AUTH, "doc_type": doc_type, "limit": 100}).json()
    return int(answer["result_all_records"])


def test_demo_data_is_added_once_and_kept_across_a_restart(tmp_path):
    metakocka, erpnext = demo.start(state_dir=tmp_path, metakocka_port=0, erpnext_port=0, customers=50)
    try:
        assert (search(metakocka, "sales_order"), search(metakocka, "sales_offer"),
                search(metakocka, "sales_bill_domestic"), search(metakocka, "sales_bill_foreign")) == (3, 2, 1, 1)
        customers = len(erpnext.docs("Customer"))
        assert customers >= 50
        requests.post(f"{metakocka.url}/rest/eshop/v1/put_document", timeout=5, json={
            **MK_AUTH, "doc_type": "sales_order", "doc_date": "20.11.2026", "buyer_order": "AFTER-START",
            "partner": {"mk_id": "1600000201", "mk_address_id": "1600000202"},
            "product_list": [{"code": "KAVA-500", "amount": "1", "price": "12.29", "tax": "095"}]})
    finally:
        erpnext.stop()
        metakocka.stop()

    metakocka, erpnext = demo.start(state_dir=tmp_path, metakocka_port=0, erpnext_port=0, customers=50)
    try:
        assert search(metakocka, "sales_order") == 4  # the demo documents were not added twice
        assert len(erpnext.docs("Customer")) == customers
    finally:
        erpnext.stop()
        metakocka.stop()
