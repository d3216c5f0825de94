package org.trustledger.issuance.status;

import java.math.BigInteger;

/**
 * Partitioned CRLs: each issuing CA's revocations of members' certificates are split over a fixed
 * number of CRLs by serial, and every certificate names its own shard in its CRL distribution point,
 * so that no CRL outgrows what relying parties will fetch (at about 49 bytes an entry, 16 shards keep
 * each under 10 MB up to three million revocations per CA: a million revocations measured 47 MB as
 * one CRL). The count is part of every certificate ever issued: it can never change.
 */
public final class CrlShards {

    public static final int COUNT = 16;

    private CrlShards() {
    }

    /** The shard of a certificate: its serial modulo {@link #COUNT}. */
    public static int of(BigInteger serial) {
        return serial.mod(BigInteger.valueOf(COUNT)).intValue();
    }

    public static int of(String hexSerial) {
        return of(new BigInteger(hexSerial, 16));
    }
}
