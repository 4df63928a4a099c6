"""The webhook sender: signed JSON bodies, one delivery per document per request, retries (reference §5)."""

import base64
import hashlib
import hmac
import json


def test_a_change_is_delivered_signed_with_base64_hmac_sha256(sim, receiver):
    sim.add_webhook(receiver.url, "s3cret", headers={"X-Site": "sandbox"})
    sim.touch("Customer", "Jane Doe", {"tax_id": "X"})
    assert sim.deliver_webhooks() == [200]
    (delivery,) = receiver.deliveries
    body = delivery["body"]
    assert json.loads(body) == {"doctype": "Customer", "name": "Jane Doe", "event": "on_update",
                                "modified": sim.customer("Jane Doe")["modified"], "customer_name": "Jane Doe",
                                "disabled": 0}
    assert b'", "' in body  # json.dumps' default separators: the signature is over these exact bytes
    expected = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
    assert delivery["headers"]["X-Frappe-Webhook-Signature"] == expected
    assert delivery["headers"]["X-Site"] == "sandbox"
    assert "Content-Type" not in delivery["headers"]  # Frappe adds none


def test_one_delivery_per_document_per_request_the_last_event_wins(sim, receiver):
    sim.add_webhook(receiver.url, "s")
    sim.insert("Customer", {"customer_name": "Fresh", "email_id": "fresh@example.com"})  # after_insert + on_update
    sim.deliver_webhooks()
    assert [json.loads(d["body"])["event"] for d in receiver.deliveries] == ["on_update"]


def test_deletes_and_other_doctypes(sim, receiver):
    sim.add_webhook(receiver.url, None, events=["on_trash"])
    sim.add_webhook(receiver.url, "s", doctype="Contact", fields=["email_id"])
    sim.delete("Customer", "Jane Doe")
    sim.deliver_webhooks()
    by_doctype = {json.loads(d["body"])["doctype"]: d for d in receiver.deliveries}
    # The customer's contact went with it, and the Contact webhook says so too.
    assert sorted((doctype, json.loads(d["body"])["event"]) for doctype, d in by_doctype.items()) == [
        ("Contact", "on_trash"), ("Customer", "on_trash")]
    assert "X-Frappe-Webhook-Signature" not in by_doctype["Customer"]["headers"]  # security not enabled
    assert "X-Frappe-Webhook-Signature" in by_doctype["Contact"]["headers"]


def test_a_failed_delivery_is_tried_three_times(sim, receiver):
    receiver.status = 500
    sim.add_webhook(receiver.url, "s")
    sim.touch("Customer", "Jane Doe", {"tax_id": "X"})
    assert sim.deliver_webhooks() == [500]
    assert len(receiver.deliveries) == 3
    assert [entry.attempt for entry in sim.webhook_log] == [1, 2, 3]


def test_a_single_event_can_be_sent_on_demand_with_any_body(sim, receiver):
    status = sim.send_webhook(receiver.url, "s", "Customer", "Jane Doe", body=b'{"name": "Jane Doe"}')
    assert status == 200
    assert receiver.deliveries[0]["body"] == b'{"name": "Jane Doe"}'
