package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.trustledger.server.config.EmbeddedMongo;
import tools.jackson.databind.JsonNode;

/**
 * Two application instances on one MongoDB (the second configured with the first's URI, as nodes of
 * a deployment are): writes through both at once lose nothing and every member is usable from either.
 */
class TwoInstancesTest {

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    static ConfigurableApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of("server.port", "0",
                "trustledger.dev-mode", "true", "trustledger.passphrase-hash-cost", "4",
                "trustledger.embedded.storage", "memory",
                "trustledger.genesis.file", "src/test/resources/genesis-test.json"));
        props.putAll(extra);
        return new SpringApplicationBuilder(TrustLedgerApplication.class).run(Args.of(props));
    }

    @Test
    void concurrent_registrations_through_two_instances_are_all_recorded() throws Exception {
        try (ConfigurableApplicationContext first = start(Map.of())) {
            String uri = first.getBean(EmbeddedMongo.class).connectionString("trustledger");
            try (ConfigurableApplicationContext second = start(Map.of("spring.mongodb.uri", uri))) {
                List<GraphQlHttp> nodes = List.of(client(first), client(second));
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<String>> registrations = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    GraphQlHttp node = nodes.get(i % 2);
                    String email = "node" + (i % 2) + "-member" + i + "@example.org";
                    registrations.add(pool.submit(() -> {
                        JsonNode out = node.data(GraphQlHttp.REGISTER, Map.of("input", GraphQlHttp.registration(email, "1990-01-01")))
                                .get("registerMember");
                        assertThat(out.get("error").isNull()).as(out.toString()).isTrue();
                        return email;
                    }));
                }
                List<String> emails = new ArrayList<>();
                for (Future<String> f : registrations) {
                    emails.add(f.get(120, TimeUnit.SECONDS));
                }
                pool.shutdown();
                // Every member can be verified through the other node than the one it registered on.
                for (int i = 0; i < emails.size(); i++) {
                    GraphQlHttp other = nodes.get((i + 1) % 2);
                    String token = other.token(emails.get(i));
                    JsonNode verified = other.data(GraphQlHttp.VERIFY, Map.of("token", token)).get("verifyEmail");
                    assertThat(verified.get("error").isNull()).as(emails.get(i) + ": " + verified).isTrue();
                }
                assertThat(emails).hasSize(40).doesNotHaveDuplicates();

                // Three assurers assure one member at the same moment through both nodes: the caps hold
                // exactly (35 + 35 + 30 counted, AP 100), whoever wins each race.
                String target = emails.get(0);
                String[] founders = {"alice@founders.example", "bob@founders.example", "carol@founders.example"};
                ExecutorService racers = Executors.newFixedThreadPool(3);
                List<Future<JsonNode>> results = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    GraphQlHttp node = nodes.get(i % 2);
                    String founder = node.memberId(founders[i]);
                    GraphQlHttp assurer = node.as(founders[i]);
                    results.add(racers.submit(() -> assurer.data(GraphQlHttp.ASSURE,
                            Map.of("input", GraphQlHttp.assurance(founder, target, "1990-01-01", 35))).get("recordAssurance")));
                }
                List<Integer> counted = new ArrayList<>();
                for (Future<JsonNode> r : results) {
                    JsonNode out = r.get(60, TimeUnit.SECONDS);
                    assertThat(out.get("error").isNull()).as(out.toString()).isTrue();
                    counted.add(out.get("assurance").get("counted").asInt());
                }
                racers.shutdown();
                assertThat(counted).containsExactlyInAnyOrder(35, 35, 30);
                assertThat(nodes.get(1).support().data(GraphQlHttp.MEMBER, Map.of("email", target)).get("memberByEmail")
                        .get("points").get("assurance").asInt()).isEqualTo(100);
            }
        }
    }

    static GraphQlHttp client(ConfigurableApplicationContext ctx) {
        return new GraphQlHttp(((WebServerApplicationContext) ctx).getWebServer().getPort());
    }
}
