package org.trustledger.issuance;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.trustledger.ledger.arbitration.CertificateCheck;
import org.trustledger.ledger.eventstore.MongoCollections;

/**
 * The register of issued certificates (collection {@code certificates}: one document per serial with
 * {@code memberId}, {@code notAfter} and {@code revokedAt}), as the ledger's arbitration asks it before
 * deleting an account. Signing arrives with the issuance issue; until then the register is empty and
 * every account may be deleted.
 */
public class CertificateRegister implements CertificateCheck {

    private final MongoCollection<Document> certificates;

    public CertificateRegister(MongoDatabase database) {
        MongoCollections.ensure(database, "certificates");
        this.certificates = database.getCollection("certificates");
    }

    /** Per member, rare (a deletion ruling): a filter on memberId is acceptable here. */
    @Override
    public List<CertificateStatus> certificatesOf(String memberId) {
        List<CertificateStatus> result = new ArrayList<>();
        for (Document d : certificates.find(eq("memberId", memberId))) {
            Date revoked = d.getDate("revokedAt");
            result.add(new CertificateStatus(d.getString("_id"), d.getDate("notAfter").toInstant(),
                    revoked == null ? null : revoked.toInstant()));
        }
        return result;
    }
}
