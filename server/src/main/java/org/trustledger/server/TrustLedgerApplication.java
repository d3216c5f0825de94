package org.trustledger.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.trustledger.server.config.StandaloneStore;

/** The trust-ledger server: one Spring Boot application wiring ledger, query, issuance and GraphQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TrustLedgerApplication {

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("store")) {
            StandaloneStore.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        quietAxon();
        SpringApplication.run(TrustLedgerApplication.class, args);
    }

    /** A CA must not call out: Axon's update checker is off, and so is its console banner. */
    public static void quietAxon() {
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
