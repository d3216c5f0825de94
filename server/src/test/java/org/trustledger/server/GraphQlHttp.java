package org.trustledger.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP GraphQL client, as any outside client would use the server. */
final class GraphQlHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final int port;
    private final String bearer;

    GraphQlHttp(int port) {
        this(port, null);
    }

    private GraphQlHttp(int port, String bearer) {
        this.port = port;
        this.bearer = bearer;
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/graphql");
    }

    /** A client of the server on {@code port} carrying a bearer token obtained earlier (tokens outlive restarts). */
    static GraphQlHttp withToken(int port, String token) {
        return new GraphQlHttp(port, token);
    }

    /** The same server, logged in as the member with this email (a bearer token from /auth/tokens). */
    GraphQlHttp as(String email) {
        return new GraphQlHttp(port, Identities.token(port, email,
                Identities.FOUNDER_PASSPHRASES.getOrDefault(email, Identities.MEMBER_PASSPHRASE)));
    }

    /** Logged in as support (Alice of the test genesis file). */
    GraphQlHttp support() {
        return as("alice@founders.example");
    }

    /** Posts the document and returns the whole response ({@code data} and {@code errors}). */
    JsonNode post(String document, Map<String, Object> variables) {
        String body = JSON.writeValueAsString(Map.of("query", document, "variables", variables));
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503 && response.body().contains("\"errors\"")) {
                return JSON.readTree(response.body()); // the store is away: a GraphQL-shaped, retryable error
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GraphQL request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts and fails on any GraphQL error; returns {@code data}. */
    JsonNode data(String document, Map<String, Object> variables) {
        JsonNode response = post(document, variables);
        if (response.has("errors")) {
            throw new AssertionError("GraphQL errors: " + response.get("errors"));
        }
        return response.get("data");
    }

    static final String REGISTER = "mutation($input: RegisterMemberInput!) { registerMember(input: $input) "
            + "{ member { id } error { code message } } }";
    static final String OUTBOX = "query($to: String!) { devOutbox(to: $to) { token } }";
    static final String VERIFY = "mutation($token: String!) { verifyEmail(token: $token) { member { id } error { code } } }";
    static final String MEMBER = "query($email: String!) { memberByEmail(email: $email) "
            + "{ id status points { assurance experience total } assurancesReceived { totalCount } } }";
    static final String ASSURE = "mutation($input: RecordAssuranceInput!) { recordAssurance(input: $input) "
            + "{ assurance { id counted assuree { points { assurance } } } error { code message } } }";

    static Map<String, Object> registration(String email, String dob) {
        java.util.List<Map<String, String>> questions = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            questions.add(Map.of("question", "Question " + i + "?", "answer", "answer " + i));
        }
        return Map.of("givenNames", "Grace", "familyName", "Hopper", "dateOfBirth", dob, "email", email,
                "passphrase", Identities.MEMBER_PASSPHRASE, "securityQuestions", questions);
    }

    static Map<String, Object> assurance(String assurerId, String email, String dob, int points) {
        return Map.of("assurerId", assurerId, "assureeEmail", email, "assureeDateOfBirth", dob, "date", "2026-11-20",
                "location", "Amsterdam", "points", points, "documents", java.util.List.of("passport"),
                "assureeAgreedToCommunityAgreement", true, "assurerSawOriginalDocuments", true);
    }

    /** Registers, reads the token from the dev outbox and verifies; returns the member id. */
    String registerAndVerify(String email, String dob) {
        JsonNode reg = data(REGISTER, Map.of("input", registration(email, dob))).get("registerMember");
        if (!reg.get("error").isNull()) {
            throw new AssertionError("registration refused: " + reg.get("error"));
        }
        data(VERIFY, Map.of("token", token(email)));
        String id = reg.get("member").get("id").asString();
        Identities.EMAILS.put(id, email);
        return id;
    }

    /** The newest token mailed to the address; the outbox is written asynchronously, as real mail arrives. */
    String token(String email) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode mails = support().data(OUTBOX, Map.of("to", email)).get("devOutbox");
            if (mails.size() > 0) {
                return mails.get(mails.size() - 1).get("token").asString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No mail to " + email + " within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Looked up by support (only the member and support can find a member by email). */
    String memberId(String email) {
        return support().data(MEMBER, Map.of("email", email)).get("memberByEmail").get("id").asString();
    }
}
