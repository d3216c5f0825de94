package org.trustledger.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

/**
 * What the GraphQL test classes share: the server's tester, real logins ({@link Identities}), and a
 * tester acting as support (Alice of the test genesis file) unless a call logs in as someone else.
 */
abstract class LoggedInGraphQlTest {

    @Autowired
    HttpGraphQlTester anonymousGraphQl;
    @LocalServerPort
    int port;
    Identities ids;
    /** Acting as support (Alice) unless a call logs in as someone else with {@link #as}. */
    HttpGraphQlTester graphQl;

    @BeforeAll
    static void quiet() {
        TrustLedgerApplication.quietAxon();
    }

    @BeforeEach
    void logIn() {
        ids = new Identities(anonymousGraphQl, port);
        graphQl = ids.as(LedgerGraphQlTest.FOUNDERS[0]);
    }

    HttpGraphQlTester as(String email) {
        return ids.as(email);
    }

    LedgerGraphQlTest helper() {
        return LedgerGraphQlTest.over(ids);
    }
}
