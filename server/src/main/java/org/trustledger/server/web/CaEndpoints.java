package org.trustledger.server.web;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.openpgp.OpenPgpCa;
import org.trustledger.issuance.x509.Pem;
import org.trustledger.issuance.status.CrlPublisher;

/**
 * What relying parties fetch over plain HTTP (the URLs written into every certificate): the CA
 * certificates (PEM and DER) and each CA's CRL (DER, RFC 5280). Each CA's OCSP responder is {@link
 * OcspEndpoint}.
 */
@RestController
public class CaEndpoints {

    static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");
    static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");
    private static final java.util.regex.Pattern CRL_FILE = java.util.regex.Pattern.compile("([a-z0-9]{1,20})(?:-([0-9]{1,2}))?\\.crl");
    private final CaHierarchy cas;
    private final CrlPublisher crls;
    private final OpenPgpCa openPgp;

    public CaEndpoints(CaHierarchy cas, CrlPublisher crls, OpenPgpCa openPgp) {
        this.cas = cas;
        this.openPgp = openPgp;
        this.crls = crls;
    }

    @GetMapping("/ca/{file:.+}")
    public ResponseEntity<byte[]> caCertificate(@PathVariable String file) throws CertificateEncodingException {
        int dot = file.lastIndexOf('.');
        String name = dot < 0 ? file : file.substring(0, dot);
        String ext = dot < 0 ? "" : file.substring(dot + 1);
        X509Certificate cert;
        try {
            cert = name.endsWith("-ocsp") ? cas.ocspSigner(CaId.ofSlug(name.substring(0, name.length() - 5))).certificate()
                    : cas.certificate(CaId.ofSlug(name));
        } catch (IllegalArgumentException e) {
            return notFound("No CA certificate " + file + ": try class1.pem, class3.der, class1-ocsp.pem...");
        }
        return switch (ext) {
            case "der", "crt", "cer" -> ResponseEntity.ok().contentType(PKIX_CERT).cacheControl(CacheControl.noCache())
                    .body(cert.getEncoded());
            case "pem" -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-pem-file"))
                    .body(Pem.certificate(cert.getEncoded()).getBytes(StandardCharsets.US_ASCII));
            default -> notFound("Ask for " + name + ".pem or " + name + ".der.");
        };
    }

    /** The CA's OpenPGP public key, ASCII-armoured, to check its certifications with. */
    @GetMapping("/ca/openpgp.asc")
    public ResponseEntity<byte[]> openPgpKey() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pgp-keys"))
                .body(openPgp.publicKeyArmored().getBytes(StandardCharsets.US_ASCII));
    }

    @GetMapping("/crl/{file:.+}")
    public ResponseEntity<byte[]> crl(@PathVariable String file) {
        java.util.regex.Matcher m = CRL_FILE.matcher(file);
        if (!m.matches()) {
            return notFound("CRLs are at /crl/<ca>-<shard>.crl (members' certificates; each names its shard in its"
                    + " CRL distribution point) and /crl/<ca>.crl (CA certificates), <ca> class1 or class3.");
        }
        try {
            CaId ca = CaId.ofSlug(m.group(1));
            int shard = m.group(2) == null ? CrlPublisher.CA_CERTIFICATES : Integer.parseInt(m.group(2));
            return ResponseEntity.ok().contentType(PKIX_CRL).cacheControl(CacheControl.noCache()).body(crls.current(ca, shard));
        } catch (IllegalArgumentException e) {
            return notFound(e.getMessage());
        }
    }

    private static ResponseEntity<byte[]> notFound(String message) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                .body((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
