package org.trustledger.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tests' members logging in for real: a bearer token from {@code POST /auth/tokens} with the
 * member's passphrase (founders from genesis-test.json; registered members share one), cached per
 * server and member.
 */
final class Identities {

    static final String MEMBER_PASSPHRASE = "violet tractor ribbon meadow";
    static final Map<String, String> FOUNDER_PASSPHRASES = Map.of(
            "alice@founders.example", "alice founding passphrase",
            "bob@founders.example", "bob founding passphrase",
            "carol@founders.example", "carol founding passphrase");
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    /** Member id to email, learnt as tests register and look members up. */
    static final Map<String, String> EMAILS = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpGraphQlTester anonymous;
    private final int port;

    Identities(HttpGraphQlTester anonymous, int port) {
        this.anonymous = anonymous;
        this.port = port;
    }

    HttpGraphQlTester anonymous() {
        return anonymous;
    }

    /** The tester acting as the member with this email. */
    HttpGraphQlTester as(String email) {
        String token = TOKENS.computeIfAbsent(port + "|" + email, k -> token(port, email,
                FOUNDER_PASSPHRASES.getOrDefault(email, MEMBER_PASSPHRASE)));
        return anonymous.mutate().header("Authorization", "Bearer " + token).build();
    }

    /** The tester acting as the member with this id (its email learnt earlier). */
    HttpGraphQlTester asId(String memberId) {
        String email = EMAILS.get(memberId);
        if (email == null) {
            throw new IllegalStateException("No email known for member " + memberId);
        }
        return as(email);
    }

    /** A raw GraphQL call as the member with this email; the whole response. */
    tools.jackson.databind.JsonNode post(String email, String document, Map<String, Object> variables) {
        as(email); // make sure a token exists
        String token = TOKENS.get(port + "|" + email);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/graphql")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(Map.of("query", document, "variables", variables)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String token(int port, String email, String passphrase) {
        try {
            String body = JSON.writeValueAsString(Map.of("email", email, "passphrase", passphrase, "label", "test"));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/auth/tokens")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("Login of " + email + " failed: HTTP " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).get("token").asString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
