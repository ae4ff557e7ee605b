package br.com.reistech.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** JSON calls to the deployed application, with or without a bearer token. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final TomcatServer tomcat;

    public ApiClient(TomcatServer tomcat) {
        this.tomcat = tomcat;
    }

    /** A response with its body parsed (an empty body parses as a missing node). */
    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        public String text(String field) {
            return body.path(field).asText();
        }
    }

    public Reply call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(tomcat.uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String string ? string : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        HttpResponse<String> response = tomcat.send(request.build());
        JsonNode parsed = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
        return new Reply(response.statusCode(), parsed, response);
    }

    public Reply login(String workspace, String email, String password) throws Exception {
        return call("POST", "/api/auth/login", null, JSON.createObjectNode()
                .put("workspace", workspace).put("email", email).put("password", password));
    }

    /** Logs in and returns the access token, failing the test when login fails. */
    public Tokens tokens(String workspace, String email, String password) throws Exception {
        Reply reply = login(workspace, email, password);
        if (reply.status() != 200) {
            throw new AssertionError("login of " + email + " failed: " + reply.status() + " " + reply.body());
        }
        return new Tokens(reply.text("accessToken"), reply.text("refreshToken"));
    }

    public record Tokens(String access, String refresh) {
    }

    /** Creates a workspace as {@code platformToken}; returns its id. */
    public UUID workspace(String platformToken, String slug) throws Exception {
        Reply reply = call("POST", "/api/workspaces", platformToken,
                JSON.createObjectNode().put("slug", slug).put("name", "Loja " + slug));
        if (reply.status() != 201) {
            throw new AssertionError("workspace " + slug + ": " + reply.status() + " " + reply.body());
        }
        return UUID.fromString(reply.text("id"));
    }

    /** Creates a user in {@code workspaceId} as a platform administrator; returns its id. */
    public UUID user(String platformToken, UUID workspaceId, String email, String role, String password)
            throws Exception {
        Reply reply = call("POST", "/api/workspaces/" + workspaceId + "/users", platformToken, JSON.createObjectNode()
                .put("email", email).put("nome", "Pessoa " + role).put("role", role).put("password", password));
        if (reply.status() != 201) {
            throw new AssertionError("user " + email + ": " + reply.status() + " " + reply.body());
        }
        return UUID.fromString(reply.text("id"));
    }

    /** A slug no other test uses. */
    public static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
