package org.trustledger.issuance.x509;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** PEM text and SHA-256 fingerprints of DER certificates, one way everywhere. */
public final class Pem {

    private Pem() {
    }

    /** RFC 7468 textual encoding of a DER certificate. */
    public static String certificate(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    /** SHA-256 of the DER bytes, hex upper case. */
    public static String sha256Fingerprint(byte[] der) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
