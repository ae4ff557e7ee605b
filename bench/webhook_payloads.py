#!/usr/bin/env python3
"""Writes N signed WhatsApp webhook deliveries (one text message each, distinct wamids, spread over
C customers) as lines "signature<TAB>body" for bench/webhook.lua. Loopback benchmarking only."""
import hashlib, hmac, json, sys, time, uuid

count, customers, phone_number_id, app_secret, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
with open(out, "w") as lines:
    for i in range(count):
        wa_id = str(5511900000000 + i % customers)
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "bench", "changes": [{
            "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "551140040000", "phone_number_id": phone_number_id},
                "contacts": [{"profile": {"name": "Cliente %d" % (i % customers)}, "wa_id": wa_id}],
                "messages": [{"from": wa_id, "id": "wamid.BENCH%s" % uuid.uuid4().hex,
                              "timestamp": str(int(time.time())), "type": "text",
                              "text": {"body": "oi" if i < customers else "mensagem %d" % i}}]}}]}]},
            ensure_ascii=False, separators=(",", ":"))
        signature = hmac.new(app_secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        lines.write("sha256=%s\t%s\n" % (signature, body))
