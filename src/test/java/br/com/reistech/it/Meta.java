package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook payloads in the shape Meta documents, and their X-Hub-Signature-256. */
final class Meta {

    private Meta() {
    }

    static String textMessage(String phoneNumberId, String from, String name, String wamid, String text) {
        ObjectNode value = value(phoneNumberId);
        ObjectNode contact = value.putArray("contacts").addObject().put("wa_id", from);
        contact.putObject("profile").put("name", name);
        ObjectNode message = value.putArray("messages").addObject().put("from", from).put("id", wamid)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("type", "text");
        message.putObject("text").put("body", text);
        return envelope(value);
    }

    /** A customer's image, as Meta announces it: a media id to look up and download later. */
    static String imageMessage(String phoneNumberId, String from, String wamid, String mediaId, String caption) {
        ObjectNode value = value(phoneNumberId);
        value.putArray("contacts").addObject().put("wa_id", from).putObject("profile").put("name", "Cliente");
        ObjectNode message = value.putArray("messages").addObject().put("from", from).put("id", wamid)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("type", "image");
        message.putObject("image").put("id", mediaId).put("mime_type", "image/jpeg")
                .put("sha256", "ignored-by-the-platform").put("caption", caption);
        return envelope(value);
    }

    /** Meta's system message telling that a customer now writes from another number. */
    static String numberChanged(String phoneNumberId, String oldNumber, String newNumber) {
        ObjectNode value = value(phoneNumberId);
        value.putArray("messages").addObject().put("from", oldNumber).put("id", wamid())
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("type", "system")
                .putObject("system").put("body", "User changed from " + oldNumber + " to " + newNumber)
                .put("wa_id", newNumber).put("type", "user_changed_number");
        return envelope(value);
    }

    static String status(String phoneNumberId, String wamid, String status, Integer errorCode) {
        ObjectNode value = value(phoneNumberId);
        ObjectNode entry = value.putArray("statuses").addObject().put("id", wamid).put("status", status)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("recipient_id", "5511900000000");
        if (errorCode != null) {
            entry.putArray("errors").addObject().put("code", errorCode).put("title", "Message undeliverable");
        }
        return envelope(value);
    }

    static String wamid() {
        return "wamid.HBgM" + UUID.randomUUID().toString().replace("-", "");
    }

    static String sign(byte[] body, String appSecret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static ObjectNode value(String phoneNumberId) {
        ObjectNode value = JSON.createObjectNode().put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "551140040000").put("phone_number_id", phoneNumberId);
        return value;
    }

    private static String envelope(ObjectNode value) {
        ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
        root.putArray("entry").addObject().put("id", "102290129340398").putArray("changes").addObject()
                .put("field", "messages").set("value", value);
        return root.toString();
    }
}
