package org.trustledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end against the packaged jar on the embedded default: the newcomer's walk from registration
 * to 100 points over plain HTTP, and GraphiQL and the web-of-trust page in a real browser. (Crash
 * safety under {@code kill -9}: {@link ReliabilityIT}.)
 */
class ServerJarIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String[] FOUNDERS = {"alice@founders.example", "bob@founders.example", "carol@founders.example"};

    @TempDir
    Path dataDir;

    @Test
    void a_newcomer_registers_and_three_founders_bring_them_to_100_points() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, "newcomer", Map.of())) {
            GraphQlHttp api = server.graphQl();
            String email = "newcomer@example.org";
            api.registerAndVerify(email, "1995-03-14");
            int ap = 0;
            for (String founder : FOUNDERS) {
                JsonNode out = api.as(founder).data(GraphQlHttp.ASSURE,
                        Map.of("input", GraphQlHttp.assurance(api.memberId(founder), email, "1995-03-14", 35)))
                        .get("recordAssurance");
                assertThat(out.get("error").isNull()).as(out.toString()).isTrue();
                ap += out.get("assurance").get("counted").asInt();
            }
            assertThat(ap).isEqualTo(100);
            JsonNode member = api.support().data(GraphQlHttp.MEMBER, Map.of("email", email)).get("memberByEmail");
            assertThat(member.get("status").asString()).isEqualTo("ASSURED_MEMBER");
            assertThat(member.get("points").get("total").asInt()).isEqualTo(100);
        }
    }

    @Test
    void graphiql_loads_offline_in_headless_chromium_with_a_sample_query() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertThat(System.getenv("CI")).as("CI must have chromium (.ci/run installs it)").isNull();
            Assumptions.abort("chromium is not installed here (apt-get install chromium)");
        }
        try (ServerProcess server = ServerProcess.start(dataDir, "graphiql", Map.of())) {
            Path out = Path.of("target", "screenshots");
            Files.createDirectories(out);
            String dom = chromium(chromium, "--dump-dom", server.url("/graphiql"));
            assertThat(dom).contains("graphiql-container").contains("Welcome to trust-ledger")
                    .contains("registerMember");
            Path screenshot = out.resolve("graphiql.png").toAbsolutePath();
            chromium(chromium, "--screenshot=" + screenshot, "--window-size=1400,900", server.url("/graphiql"));
            assertThat(screenshot).exists();
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);

            // Use it as a person would: type a query into the editor, press run, read the result pane.
            try (HeadlessChromium browser = new HeadlessChromium()) {
                browser.open(server.url("/graphiql"));
                String result = browser.evaluate("""
                        (async () => {
                          const sleep = ms => new Promise(r => setTimeout(r, ms));
                          const editor = () => document.querySelector('.graphiql-query-editor .CodeMirror');
                          for (let i = 0; i < 150 && !editor(); i++) await sleep(100);
                          // Log in through the page's own form, as a person would.
                          document.getElementById('email').value = 'alice@founders.example';
                          document.getElementById('passphrase').value = 'alice founding passphrase';
                          document.getElementById('login-button').click();
                          const who = () => document.getElementById('who').textContent;
                          for (let i = 0; i < 100 && !who().startsWith('logged in'); i++) await sleep(100);
                          if (!who().startsWith('logged in')) return 'login failed: ' + who();
                          editor().CodeMirror.setValue('{ memberByEmail(email: "alice@founders.example") { status points { total } } }');
                          await sleep(300);
                          document.querySelector('.graphiql-execute-button').click();
                          for (let i = 0; i < 150; i++) {
                            const pane = document.querySelector('.result-window .CodeMirror');
                            const text = pane && pane.CodeMirror ? pane.CodeMirror.getValue() : '';
                            if (text.includes('memberByEmail')) return text;
                            await sleep(100);
                          }
                          return 'no result';
                        })()""");
                assertThat(result).contains("SENIOR_ASSURER").contains("150");
                Files.writeString(out.resolve("graphiql-result.json"), result);
            }
        }
    }

    @Test
    void playwright_drives_graphiql_and_the_web_of_trust_page_which_follows_the_ledger_live() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertThat(System.getenv("CI")).as("CI must have chromium (.ci/run installs it)").isNull();
            Assumptions.abort("chromium is not installed here (apt-get install chromium)");
        }
        Path playwright = Path.of("src/main/web/node_modules/playwright-core/index.mjs").toAbsolutePath();
        assertThat(playwright).as("installed by the build (npm ci)").exists();
        try (ServerProcess server = ServerProcess.start(dataDir, "pages", Map.of())) {
            GraphQlHttp api = server.graphQl();
            String email = "graph-page@example.org";
            api.registerAndVerify(email, "1992-02-02");
            api.as(FOUNDERS[0]).data(GraphQlHttp.ASSURE, Map.of("input",
                    GraphQlHttp.assurance(api.memberId(FOUNDERS[0]), email, "1992-02-02", 35)));
            Path out = Path.of("target", "screenshots").toAbsolutePath();
            Files.createDirectories(out);
            String bob = api.memberId(FOUNDERS[1]);
            String bobToken = Identities.token(server.port(), FOUNDERS[1], "bob founding passphrase");
            String args = JSON.writeValueAsString(Map.of("base", server.url(""), "out", out.toString(),
                    "playwright", playwright.toString(), "assure", Map.of("token", bobToken,
                            "input", GraphQlHttp.assurance(bob, email, "1992-02-02", 35))));
            Tools.Result r = Tools.run(Path.of("src/test/browser").toAbsolutePath(), "node", "pages.mjs", args);
            assertThat(r.ok()).as(r.output()).isTrue();
            JsonNode results = JSON.readTree(Files.readString(out.resolve("browser-results.json")));
            assertThat(results.path("graphiql").asString()).contains("SENIOR_ASSURER").contains("150");
            assertThat(results.path("before").path("edges").asInt()).isEqualTo(1);
            assertThat(results.path("assured").toString()).contains("\"error\":null");
            assertThat(results.path("after").path("edges").asInt()).as("redrawn live").isEqualTo(2);
            assertThat(results.path("found").asInt()).as("the search box finds a member by id").isEqualTo(1);
            Map<String, String> palette = Map.of("MEMBER", "rgb(156,163,175)", "ASSURED_MEMBER", "rgb(96,165,250)",
                    "ASSURER", "rgb(16,185,129)", "SENIOR_ASSURER", "rgb(245,158,11)");
            assertThat(results.path("after").path("colours").size()).isEqualTo(results.path("after").path("nodes").asInt());
            for (JsonNode c : results.path("after").path("colours")) {
                assertThat(c.path("colour").asString().replace(" ", "")).as("members coloured by status: " + c)
                        .isEqualTo(palette.get(c.path("status").asString()));
            }
            assertThat(results.path("canvas").asInt()).isPositive();
            for (String png : List.of("graphiql.png", "trust-graph.png", "trust-graph-live.png")) {
                assertThat(Files.size(out.resolve(png))).as(png).isGreaterThan(10_000);
            }
        }
    }

    /** Runs headless Chromium with the machine's closed network in mind; returns what it printed. */
    private String chromium(Path binary, String... args) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=15000"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
