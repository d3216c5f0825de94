package org.trustledger.ledger.arbitration;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.bson.Document;
import org.trustledger.ledger.eventstore.MongoCollections;

/** Case ids like {@code a20261123.1}: numbered per day, taken by unique insertion (safe across nodes). */
public class CaseNumbers {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private final MongoCollection<Document> numbers;

    public CaseNumbers(MongoDatabase database) {
        MongoCollections.ensure(database, "case_numbers");
        this.numbers = database.getCollection("case_numbers");
    }

    public String next(LocalDate day) {
        String prefix = "a" + DAY.format(day) + ".";
        for (int n = 1; ; n++) {
            try {
                numbers.insertOne(new Document("_id", prefix + n));
                return prefix + n;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }
}
