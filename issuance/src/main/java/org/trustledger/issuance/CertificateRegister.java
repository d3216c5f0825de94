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
 * {@code memberId}, {@code notAfter}, {@code revokedAt} and {@code requires}, the issuance rights that
 * justified it), as arbitration asks it before deleting an account or voiding an assurance. Signing
 * arrives with the issuance issue; until then the register is empty.
 */
public class CertificateRegister implements CertificateCheck {

    private final MongoCollection<Document> certificates;

    public CertificateRegister(MongoDatabase database) {
        MongoCollections.ensure(database, "certificates");
        this.certificates = database.getCollection("certificates");
    }

    /**
     * Serials of the member's unrevoked, unexpired certificates that rely on any of the given rights
     * (names as in IssuanceRights, e.g. nameInCertificate): what would lose its backing if those go.
     */
    public List<String> certificatesRelyingOn(String memberId, java.util.Collection<String> rights, java.time.Instant now) {
        List<String> serials = new ArrayList<>();
        for (Document d : certificates.find(eq("memberId", memberId))) {
            boolean live = d.getDate("revokedAt") == null && d.getDate("notAfter").toInstant().isAfter(now);
            List<String> requires = d.getList("requires", String.class, List.of());
            if (live && requires.stream().anyMatch(rights::contains)) {
                serials.add(d.getString("_id"));
            }
        }
        return serials;
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
