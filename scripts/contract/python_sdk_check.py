"""Infobip's Python SDK (infobip-api-python-sdk 5.0.1, module infobip_channels; pinned in
python-sdk-requirements.txt) against ccsim mock: every WhatsApp operation the SDK has that the
mock serves, each answer parsed into the SDK's own models (the SDK hands back the raw HTTP
response when its model refuses an answer, so each check asserts the model's type).

    python python_sdk_check.py BASE_URL API_KEY
"""

import sys

import requests
from infobip_channels.whatsapp.channel import WhatsAppChannel

BASE, KEY = sys.argv[1], sys.argv[2]
SENDER, TO = "385100", "447700900123"
checks = {"passed": 0, "failed": 0}


def ok(what, cond, detail):
    if cond:
        checks["passed"] += 1
    else:
        checks["failed"] += 1
        print(f"FAIL {what}: {str(detail)[:600]}", file=sys.stderr)


def parsed(r):
    """The SDK's model (not the raw response it falls back to)."""
    return not isinstance(r, requests.Response)


channel = WhatsAppChannel.from_auth_params({"base_url": BASE, "api_key": KEY})
common = {"from": SENDER, "to": TO}
sends = [
    ("text", channel.send_text_message, {"content": {"text": "Hello from the Python SDK"}}),
    ("document", channel.send_document_message, {"content": {"mediaUrl": "https://example.com/a.pdf"}}),
    ("image", channel.send_image_message, {"content": {"mediaUrl": "https://example.com/a.png"}}),
    ("audio", channel.send_audio_message, {"content": {"mediaUrl": "https://example.com/a.mp3"}}),
    ("video", channel.send_video_message, {"content": {"mediaUrl": "https://example.com/a.mp4"}}),
    ("sticker", channel.send_sticker_message, {"content": {"mediaUrl": "https://example.com/a.webp"}}),
    ("location", channel.send_location_message, {"content": {"latitude": 45.8, "longitude": 15.97}}),
    ("contact", channel.send_contact_message, {"content": {"contacts": [{"name": {"firstName": "Ana", "formattedName": "Ana H"}}]}}),
    ("buttons", channel.send_interactive_buttons_message, {"content": {"body": {"text": "Pick"}, "action": {"buttons": [{"type": "REPLY", "id": "1", "title": "Yes"}]}}}),
    ("list", channel.send_interactive_list_message, {"content": {"body": {"text": "Menu"}, "action": {"title": "Choose", "sections": [{"title": "A", "rows": [{"id": "r1", "title": "Row 1"}]}]}}}),
    ("product", channel.send_interactive_product_message, {"content": {"action": {"catalogId": "c1", "productRetailerId": "p1"}}}),
    ("multi-product", channel.send_interactive_multi_product_message, {"content": {"header": {"type": "TEXT", "text": "Ours"}, "body": {"text": "See"}, "action": {"catalogId": "c1", "sections": [{"title": "S", "productRetailerIds": ["p1"]}]}}}),
]
for name, send, body in sends:
    r = send({**common, **body})
    ok(f"send {name}", parsed(r) and r.status_code == 200 and r.status.group_name == "PENDING", getattr(r, "text", r))

r = channel.send_template_message({"messages": [{**common, "content": {"templateName": "order_update", "templateData": {"body": {"placeholders": ["A-17"]}}, "language": "en"}}]})
ok("send template", parsed(r) and r.status_code == 200 and len(r.messages) == 1, getattr(r, "text", r))

# The SDK checks most limits itself; two buttons titled alike are the platform's to refuse.
twins = [{"type": "REPLY", "id": "1", "title": "Yes"}, {"type": "REPLY", "id": "2", "title": "Yes"}]
r = channel.send_interactive_buttons_message({**common, "content": {"body": {"text": "Pick"}, "action": {"buttons": twins}}})
ok("buttons titled alike: Infobip's 400 in the SDK's error model", parsed(r) and r.status_code == 400 and r.request_error.service_exception.message_id == "BAD_REQUEST", getattr(r, "text", r))

wrong = WhatsAppChannel.from_auth_params({"base_url": BASE, "api_key": "not-a-key"})
r = wrong.send_text_message({**common, "content": {"text": "x"}})
ok("a wrong key: 401 in the SDK's error model", parsed(r) and r.status_code == 401, getattr(r, "text", r))

template = {"name": "python_sdk_check", "language": "en", "category": "TRANSACTIONAL", "structure": {"body": {"text": "Your order {{1}} ships today."}, "type": "TEXT"}}
r = channel.create_template({"sender": SENDER}, template)
ok("template: create (v1)", parsed(r) and r.status_code == 201 and r.name == "python_sdk_check", getattr(r, "text", r))
r = channel.get_templates({"sender": SENDER})
ok("template: list (v1)", parsed(r) and r.status_code == 200 and any(t.name == "python_sdk_check" for t in r.templates), getattr(r, "text", r))
r = channel.delete_template({"sender": SENDER, "templateName": "python_sdk_check"})
ok("template: delete (v2)", r.status_code == 204, r.text)

print(f"infobip-api-python-sdk 5.0.1 against ccsim mock: {checks['passed']} checks passed, {checks['failed']} failed")
sys.exit(0 if checks["failed"] == 0 else 1)
