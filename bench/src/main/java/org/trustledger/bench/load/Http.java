package org.trustledger.bench.load;

import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server as any outside client sees it: GraphQL over {@code POST /graphql} with a bearer token from
 * {@code POST /auth/tokens}, and plain HTTP for the CA files and OCSP, over {@link Wire} (HTTP/1.1,
 * keep-alive, one connection per client thread, as a real client keeps its connection).
 */
final class Http implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Wire wire;

    Http(int port) {
        this.wire = new Wire("127.0.0.1", port);
    }

    /**
     * Posts the document; returns the whole response ({@code data} and {@code errors}).
     *
     * @throws IllegalStateException when the answer is not a GraphQL response (HTTP error, no answer)
     */
    JsonNode graphQl(String bearer, String document, Map<String, Object> variables) {
        byte[] body = JSON.writeValueAsBytes(Map.of("query", document, "variables", variables));
        Wire.Response response = bearer == null
                ? send("POST", "/graphql", body, "Content-Type", "application/json")
                : send("POST", "/graphql", body, "Content-Type", "application/json",
                        "Authorization", "Bearer " + bearer);
        // The server answers GraphQL-shaped errors with 503 while its store is away.
        if (response.status() != 200 && !(response.status() == 503 && response.text().contains("\"errors\""))) {
            throw new IllegalStateException("HTTP " + response.status() + " from /graphql: " + response.text());
        }
        return JSON.readTree(response.body());
    }

    /** Posts and fails on any GraphQL error or refusal in {@code field}; returns that field's payload. */
    JsonNode must(String bearer, String document, Map<String, Object> variables, String field) {
        JsonNode response = graphQl(bearer, document, variables);
        Outcome outcome = outcome(response, field);
        if (!outcome.ok()) {
            throw new IllegalStateException(field + " failed with " + outcome.code() + ": " + response);
        }
        return response.path("data").path(field);
    }

    /**
     * Sends a request under load: what it came back with, never an exception, so that one broken
     * answer is counted as a failure instead of ending the measurement.
     */
    Outcome attempt(String bearer, String document, Map<String, Object> variables, String field) {
        try {
            return outcome(graphQl(bearer, document, variables), field);
        } catch (RuntimeException e) {
            return Outcome.failed(e.getMessage() != null && e.getMessage().startsWith("HTTP ")
                    ? e.getMessage().substring(0, 8) : e.getClass().getSimpleName());
        }
    }

    /**
     * OK when the response has no GraphQL error and the payload in {@code field} carries no refusal
     * ({@code error}, the project's way of answering an expected business refusal as data).
     */
    static Outcome outcome(JsonNode response, String field) {
        if (response.has("errors")) {
            return Outcome.failed(response.path("errors").path(0).path("extensions").path("code")
                    .asString("GRAPHQL_ERROR"));
        }
        JsonNode payload = response.path("data").path(field);
        if (payload.isMissingNode() || payload.isNull()) {
            return Outcome.failed("NO_" + field.toUpperCase(java.util.Locale.ROOT));
        }
        JsonNode error = payload.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            return Outcome.failed(error.path("code").asString("REFUSED"));
        }
        return Outcome.OK;
    }

    /** A bearer token for the member, as a client logs in ({@code POST /auth/tokens}, 201). */
    String login(String email, String passphrase) {
        byte[] body = JSON.writeValueAsBytes(Map.of("email", email, "passphrase", passphrase, "label", "bench"));
        Wire.Response response = send("POST", "/auth/tokens", body, "Content-Type", "application/json");
        if (response.status() != 201) {
            throw new IllegalStateException("Login of " + email + " failed: HTTP " + response.status() + " "
                    + response.text());
        }
        return JSON.readTree(response.body()).path("token").asString();
    }

    byte[] getBytes(String path) {
        Wire.Response response = send("GET", path, null);
        if (response.status() != 200) {
            throw new IllegalStateException("HTTP " + response.status() + " from " + path);
        }
        return response.body();
    }

    /**
     * One request; the answer whatever its status.
     *
     * @throws IllegalStateException when no answer came
     */
    Wire.Response send(String method, String path, byte[] body, String... headers) {
        try {
            return wire.exchange(method, path, body, headers);
        } catch (IOException e) {
            throw new IllegalStateException("No answer from " + path + ": " + e, e);
        }
    }

    /** Closes the connections of past phases' threads (each thread opens its own again when it sends). */
    @Override
    public void close() {
        wire.close();
    }
}
