package org.trustledger.issuance;


import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * Certificate serial numbers: 127 bits from a CSPRNG, taken by unique insertion into {@code serials}
 * ({@code _id} the serial in lower-case hex) before anything is signed, so no serial is ever used twice,
 * on any node, and a serial reserved by a request that then crashed stays visible.
 */
public class Serials {

    static final int RANDOM_BITS = 127;
    private final MongoCollection<Document> serials;
    private final SecureRandom random;

    public Serials(MongoDatabase database, SecureRandom random) {
        MongoCollections.ensure(database, "serials");
        this.serials = database.getCollection("serials");
        this.random = random;
    }

    /** Takes a fresh serial for the request. */
    public BigInteger reserve(String requestId, String memberId, Instant now) {
        while (true) {
            BigInteger serial = new BigInteger(RANDOM_BITS, random);
            if (serial.bitLength() < 64) {
                continue; // keep at least 64 significant random bits (the lint rule checks it too)
            }
            try {
                serials.insertOne(new Document("_id", serial.toString(16)).append("requestId", requestId)
                        .append("memberId", memberId).append("reservedAt", Date.from(now)));
                return serial;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }

    /** Normalises a serial as users write it: hex with or without colons, any case, leading zeros. */
    public static Optional<String> normalise(String serial) {
        if (serial == null) {
            return Optional.empty();
        }
        String hex = serial.strip().replace(":", "");
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.isEmpty() || hex.length() > 40 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(new BigInteger(hex, 16).toString(16));
    }
}
