"""Infobip's official Python client (infobip-api-python-client 6.0.0, from PyPI) against
`ccsim mock`: a WhatsApp message through the Messages API is accepted and parsed by the
client's own models; a bad request and a bad key come back as the client's ApiException with
the documented statuses. Run by .ci/run:

    python scripts/python_client_check.py http://127.0.0.1:18089 ccsim-local-key

Exits 0 when every check holds, 1 (with the reason) otherwise.
"""

import json
import sys

import infobip_api_client as ib
from infobip_api_client.api.messages_api import MessagesApi
from infobip_api_client.exceptions import ApiException


def client(host, key):
    config = ib.Configuration(host=host, api_key=key, api_key_prefix="App")
    return MessagesApi(ib.ApiClient(config))


def whatsapp_text(to, text):
    message = ib.MessagesApiMessage(
        channel=ib.MessagesApiOutboundMessageChannel.WHATSAPP,
        sender="385100",
        destinations=[
            ib.MessagesApiMessageDestination(ib.MessagesApiToDestination(to=to))
        ],
        content=ib.MessagesApiMessageContent(
            body=ib.MessagesApiMessageTextBody(text=text, type="TEXT")
        ),
    )
    return ib.MessagesApiRequest(
        messages=[ib.MessagesApiRequestMessagesInner(message)]
    )


def main():
    host, key = sys.argv[1], sys.argv[2]
    api = client(host, key)

    # Accepted: the client parses the answer into its MessageResponse model.
    response = api.send_messages_api_message(whatsapp_text("447700900123", "Hello from the client"))
    assert isinstance(response, ib.MessageResponse), type(response)
    assert len(response.messages) == 1, response
    sent = response.messages[0]
    assert sent.destination == "447700900123", sent
    assert sent.message_id, sent
    assert sent.status.group_name == "PENDING", sent.status
    assert response.bulk_id, response

    # A blank text: 400 with the field named.
    try:
        api.send_messages_api_message(whatsapp_text("447700900123", ""))
        raise AssertionError("a blank text was accepted")
    except ApiException as e:
        assert e.status == 400, e.status
        body = json.loads(e.body)
        fields = [v["property"] for v in body["violations"]]
        assert "messages[0].content.body.text" in fields, body

    # A wrong key: 401.
    try:
        client(host, "not-a-key").send_messages_api_message(whatsapp_text("447700900123", "hi"))
        raise AssertionError("a wrong key was accepted")
    except ApiException as e:
        assert e.status == 401, e.status

    print("infobip-api-python-client 6.0.0 against ccsim mock: 3 checks passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"python client check failed: {e}", file=sys.stderr)
        sys.exit(1)
