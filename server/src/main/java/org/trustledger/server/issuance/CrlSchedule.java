package org.trustledger.server.issuance;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.trustledger.issuance.status.OcspResponder;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.status.CrlPublisher;

/**
 * Keeps every CA's CRL current: a new one when the register lists a revocation it lacks (one made by
 * an arbitration ruling on another node, or missed by a crash) or when half its validity has passed.
 * Revocations through the API publish at once; this bounds the delay of any other path to a minute.
 * Also signs again the pre-signed OCSP responses that are due, so that requests rarely wait for one.
 */
@Component
public class CrlSchedule {

    private final CrlPublisher publisher;
    private final OcspResponder ocsp;

    public CrlSchedule(CrlPublisher publisher, OcspResponder ocsp) {
        this.publisher = publisher;
        this.ocsp = ocsp;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${trustledger.issuance.ocsp-refresh:PT10M}")
    public void refreshOcsp() {
        ocsp.refreshStale();
    }

    @Scheduled(initialDelayString = "PT5S", fixedDelayString = "${trustledger.issuance.crl-check:PT1M}")
    public void refresh() {
        for (CaId ca : CaId.values()) {
            publisher.publishIfStale(ca);
        }
    }
}
