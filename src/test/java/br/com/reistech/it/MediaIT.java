package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import br.com.reistech.it.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Media: customers' files downloaded from Meta, agents' uploads (whitelist, size), serving, sending. */
@ExtendWith(Environment.Extension.class)
class MediaIT {

    private static final byte[] PNG = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1);

    @Test
    void aCustomersImageIsDownloadedFromMetaAndServedOnlyToWhoMaySeeIt(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        String from = "5511930000001";
        UUID conversation = store.queuedConversation(from);
        store.user("agente@midia.example", "AGENT");
        store.user("outra@midia.example", "AGENT");
        store.user("chefe@midia.example", "SUPERVISOR");
        String agent = store.token("agente@midia.example");
        String otherAgent = store.token("outra@midia.example");
        String supervisor = store.token("chefe@midia.example");
        assertThat(store.api.call("POST", "/api/queue/" + conversation + "/take", agent, null).status()).isEqualTo(200);

        String metaId = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        byte[] photo = new byte[200_000];
        ThreadLocalRandom.current().nextBytes(photo);
        photo[0] = (byte) 0xFF;
        photo[1] = (byte) 0xD8;
        photo[2] = (byte) 0xFF;
        env.graph.stubFor(get(urlPathEqualTo("/v21.0/" + metaId)).withQueryParam("phone_number_id", equalTo(store.phoneNumberId))
                .withHeader("Authorization", equalTo("Bearer " + ConnectedWorkspace.ACCESS_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(JSON.createObjectNode()
                        .put("url", "http://127.0.0.1:" + env.graph.port() + "/whatsapp_business/attachments/?mid=" + metaId)
                        .put("mime_type", "image/jpeg").put("file_size", photo.length).put("id", metaId)
                        .put("messaging_product", "whatsapp").toString())));
        env.graph.stubFor(get(urlEqualTo("/whatsapp_business/attachments/?mid=" + metaId))
                .withHeader("Authorization", equalTo("Bearer " + ConnectedWorkspace.ACCESS_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "image/jpeg").withBody(photo)));

        byte[] raw = Meta.imageMessage(store.phoneNumberId, from, Meta.wamid(), metaId, "olha a tela quebrada")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(store.deliver(raw, Meta.sign(raw, ConnectedWorkspace.APP_SECRET)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.query("""
                select m.sha256 from media m join message g on g.media_id = m.id
                where g.conversation_id = ?::uuid and g.type = 'image'""", conversation.toString()) != null);
        JsonNode message = store.api.call("GET", "/api/conversations/" + conversation + "/messages", agent, null).body()
                .get(0);
        assertThat(message.path("type").asText()).isEqualTo("image");
        assertThat(message.path("body").asText()).isEqualTo("olha a tela quebrada");
        String mediaId = message.path("mediaId").asText();

        HttpResponse<byte[]> served = fetch(env, "/api/media/" + mediaId, agent);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(photo);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(served.headers().firstValue("ETag")).hasValue("\"" + sha256(photo) + "\"");
        assertThat(store.api.call("GET", "/api/media/" + mediaId + "/info", agent, null).text("sha256")).isEqualTo(sha256(photo));
        assertThat(fetch(env, "/api/media/" + mediaId, supervisor).statusCode()).isEqualTo(200);
        // Another agent of the same store does not hold the conversation; another store's admin is elsewhere.
        assertThat(fetch(env, "/api/media/" + mediaId, otherAgent).statusCode()).isEqualTo(404);
        ConnectedWorkspace other = new ConnectedWorkspace(env, 5);
        HttpResponse<byte[]> foreign = fetch(env, "/api/media/" + mediaId, other.admin);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(new String(foreign.body(), StandardCharsets.UTF_8)).contains("/problems/not-found");
        assertThat(fetch(env, "/api/media/" + mediaId, null).statusCode()).isEqualTo(401);
    }

    @Test
    void uploadsAreCheckedForTypeContentAndSizeAndSentThroughMetaOnce(Environment env) throws Exception {
        ConnectedWorkspace store = new ConnectedWorkspace(env, 5);
        String from = "5511930000002";
        UUID conversation = store.queuedConversation(from);
        store.user("envia@midia.example", "AGENT");
        String agent = store.token("envia@midia.example");
        assertThat(store.api.call("POST", "/api/queue/" + conversation + "/take", agent, null).status()).isEqualTo(200);

        long filesBefore = storedFiles(env);
        Reply html = upload(env, agent, "foto.png", "image/png", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(html.status()).isEqualTo(415);
        assertThat(storedFiles(env)).as("a refused upload leaves no file").isEqualTo(filesBefore);
        assertThat(html.text("type")).endsWith("/unsupported-media-type");
        assertThat(upload(env, agent, "virus.exe", "application/x-msdownload", bytes('M', 'Z', 0x90, 0)).status()).isEqualTo(415);
        byte[] large = new byte[Environment.MEDIA_MAX_BYTES + 100_000];
        System.arraycopy(PNG, 0, large, 0, PNG.length);
        for (boolean chunked : new boolean[] {false, true}) {
            Reply tooLarge = upload(env, agent, "grande.png", "image/png", large, chunked);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.text("type")).endsWith("/payload-too-large");
        }
        Reply noFile = store.api.call("POST", "/api/media", agent, null);
        assertThat(noFile.status()).isIn(400, 415);
        assertThat(store.query("select count(*) from media where workspace_id = ?::uuid", store.workspace.toString()))
                .isEqualTo("0");

        Reply stored = upload(env, agent, "../../etc/orçamento.png", "image/png", PNG);
        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.text("whatsappType")).isEqualTo("image");
        assertThat(stored.text("sha256")).isEqualTo(sha256(PNG));
        assertThat(stored.text("fileName")).isEqualTo("orçamento.png");
        assertThat(stored.raw().headers().firstValue("Location")).hasValueSatisfying(l -> l.endsWith("/api/media/" + stored.text("id")));
        assertThat(fetch(env, "/api/media/" + stored.text("id"), agent).body()).isEqualTo(PNG);

        String metaMediaId = "4490709327384033";
        env.graph.stubFor(post(urlEqualTo("/v21.0/" + store.phoneNumberId + "/media"))
                .withMultipartRequestBody(aMultipart().withName("messaging_product").withBody(equalTo("whatsapp")))
                .withMultipartRequestBody(aMultipart().withName("file").withHeader("Content-Type", equalTo("image/png")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + metaMediaId + "\"}")));
        Reply wrongType = store.api.call("POST", "/api/conversations/" + conversation + "/messages", agent, JSON.createObjectNode()
                .put("type", "document").set("media", JSON.createObjectNode().put("upload", stored.text("id"))));
        assertThat(wrongType.status()).isEqualTo(400);
        for (String caption : new String[] {"Segue o orçamento", "De novo"}) {
            Reply sent = store.api.call("POST", "/api/conversations/" + conversation + "/messages", agent, JSON.createObjectNode()
                    .put("type", "image").set("media", JSON.createObjectNode().put("upload", stored.text("id")).put("caption", caption)));
            assertThat(sent.status()).isEqualTo(201);
            assertThat(sent.text("mediaId")).isEqualTo(stored.text("id"));
        }
        assertThat(env.graph.findAll(postRequestedFor(urlEqualTo("/v21.0/" + store.phoneNumberId + "/media")))).hasSize(1);
        var images = env.graph.findAll(postRequestedFor(urlEqualTo(store.messagesPath()))).stream()
                .map(r -> tree(r.getBodyAsString())).filter(b -> "image".equals(b.path("type").asText())).toList();
        assertThat(images).hasSize(2).allSatisfy(b -> assertThat(b.at("/image/id").asText()).isEqualTo(metaMediaId));
        assertThat(images.get(0).at("/image/caption").asText()).isEqualTo("Segue o orçamento");
    }

    private static Reply upload(Environment env, String token, String fileName, String type, byte[] content) throws Exception {
        return upload(env, token, fileName, type, content, false);
    }

    /** A multipart upload, with a Content-Length or chunked (the size is then only known while reading). */
    private static Reply upload(Environment env, String token, String fileName, String type, byte[] content,
                                boolean chunked) throws Exception {
        String boundary = "teste" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = env.tomcat.send(HttpRequest.newBuilder(env.tomcat.uri("/api/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.toByteArray()))
                        : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        JsonNode parsed = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Reply(response.statusCode(), parsed, response);
    }

    private static HttpResponse<byte[]> fetch(Environment env, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(env.tomcat.uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long storedFiles(Environment env) throws Exception {
        java.nio.file.Path dir = env.workDir.resolve("uploads");
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.toString().contains(".incoming")).count();
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
