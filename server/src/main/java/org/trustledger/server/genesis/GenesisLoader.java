package org.trustledger.server.genesis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.trustledger.ledger.rules.Emails;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.member.EmailRegistry;

import org.trustledger.server.config.TrustLedgerProperties;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Genesis: a fresh ledger has no assurers, so the founding members named in the file of
 * {@code trustledger.genesis.file} are recorded as Assurers with an explicit
 * {@code FoundingAssurerRecognised} event. Reading the same file again records nothing new: a founder
 * whose email is already in the ledger is skipped, and the member id is derived from the email.
 */
@Component
public class GenesisLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(GenesisLoader.class);

    /** One founding assurer as written in the genesis file. */
    public record Founder(String givenNames, String familyName, LocalDate dateOfBirth, String email,
                          String passphrase, List<Role> roles) {
        @Override
        public String toString() {
            return "Founder[" + email + "]";
        }
    }

    private final TrustLedgerProperties props;
    private final CommandGateway commands;
    private final EmailRegistry registry;

    public GenesisLoader(TrustLedgerProperties props, CommandGateway commands, EmailRegistry registry) {
        this.props = props;
        this.commands = commands;
        this.registry = registry;
    }

    @Override
    public void run(ApplicationArguments args) {
        Path file = props.genesis().file();
        if (file == null) {
            return;
        }
        List<Founder> founders = read(file);
        int recorded = 0;
        for (Founder f : founders) {
            String email = Emails.normalise(f.email());
            if (registry.find(email).isPresent()) {
                continue; // recorded by an earlier start (or the address is taken): nothing new
            }
            String memberId = UUID.nameUUIDFromBytes(("genesis:" + email).getBytes(StandardCharsets.UTF_8)).toString();
            try {
                commands.sendAndWait(new RecogniseFoundingAssurerCommand(memberId,
                        new PersonName(f.givenNames(), null, f.familyName(), null), f.dateOfBirth(), f.email(),
                        f.passphrase(), "genesis file " + file.getFileName(), f.roles() == null ? List.of() : f.roles()));
                recorded++;
            } catch (LedgerRefusal e) {
                throw new IllegalStateException("Genesis file " + file + ": founder " + f.email() + " is invalid: "
                        + e.code() + ": " + e.getMessage(), e);
            }
        }
        log.info("Genesis: {} founding assurer(s) in {}, {} newly recorded", founders.size(), file, recorded);
    }

    static List<Founder> read(Path file) {
        try {
            String json = Files.readString(file);
            return JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(json, new TypeReference<List<Founder>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the genesis file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The genesis file " + file.toAbsolutePath()
                    + " is not a JSON list of {givenNames, familyName, dateOfBirth, email, passphrase, roles?}: " + e.getMessage(), e);
        }
    }
}
