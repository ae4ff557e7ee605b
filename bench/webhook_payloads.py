#!/usr/bin/env python3
"""Signed WhatsApp Cloud API webhook deliveries for bench/ (the one place that builds and signs them).

  webhook_payloads.py write OUT MESSAGES CUSTOMERS WA_ID_BASE TAG [TEXT]
      Writes MESSAGES deliveries as lines "sha256=<hmac><TAB><body>" (read by bench/webhook.lua and
      bench/mixed.lua): one text message each, wamid "wamid.BENCH.<TAG>.<n>", from customer
      wa_id = WA_ID_BASE + n % CUSTOMERS. Text: TEXT if given, else "oi" for a customer's first
      message and "mensagem <n>" after. With DUPLICATE_EVERY=k (env) every k-th line repeats the
      line before it (a redelivery by Meta: same wamid, same signature).
  webhook_payloads.py send BASE_URL FILE
      POSTs the lines of FILE to BASE_URL/api/whatsapp/webhook in order over one connection; prints
      "sent N" and exits 1 if any answer was not 200.

Environment: PHONE_NUMBER_ID and APP_SECRET (the connected account's), BENCH_INSECURE=1 to accept
any TLS certificate. Loopback or a test installation only.
"""
import hashlib, hmac, http.client, json, os, ssl, sys, time, urllib.parse


def write(out, messages, customers, wa_id_base, tag, text=None):
    phone_number_id, secret = os.environ["PHONE_NUMBER_ID"], os.environ["APP_SECRET"].encode()
    duplicate_every = int(os.environ.get("DUPLICATE_EVERY", "0"))
    previous = None
    with open(out, "w") as lines:
        for n in range(messages):
            if previous and duplicate_every and n % duplicate_every == duplicate_every - 1:
                lines.write(previous)
                continue
            wa_id = str(wa_id_base + n % customers)
            body = text if text is not None else ("oi" if n < customers else "mensagem %d" % n)
            payload = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "bench", "changes": [{
                "field": "messages", "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "551140040000", "phone_number_id": phone_number_id},
                    "contacts": [{"profile": {"name": "Cliente %s" % wa_id[-4:]}, "wa_id": wa_id}],
                    "messages": [{"from": wa_id, "id": "wamid.BENCH.%s.%d" % (tag, n),
                                  "timestamp": str(int(time.time())), "type": "text", "text": {"body": body}}]}}]}]},
                ensure_ascii=False, separators=(",", ":"))
            signature = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
            previous = "sha256=%s\t%s\n" % (signature, payload)
            lines.write(previous)


def send(base_url, path):
    url = urllib.parse.urlsplit(base_url)
    if url.scheme == "https":
        context = ssl._create_unverified_context() if os.environ.get("BENCH_INSECURE") == "1" else None
        connection = http.client.HTTPSConnection(url.netloc, timeout=30, context=context)
    else:
        connection = http.client.HTTPConnection(url.netloc, timeout=30)
    sent, failed = 0, 0
    with open(path) as lines:
        for line in lines:
            signature, body = line.rstrip("\n").split("\t", 1)
            connection.request("POST", url.path.rstrip("/") + "/api/whatsapp/webhook", body.encode(),
                               {"Content-Type": "application/json", "X-Hub-Signature-256": signature})
            response = connection.getresponse()
            response.read()
            sent += 1
            if response.status != 200:
                failed += 1
                print("delivery %d answered %d" % (sent, response.status), file=sys.stderr)
    print("sent %d" % sent)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6],
              sys.argv[7] if len(sys.argv) > 7 else None)
    elif sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
