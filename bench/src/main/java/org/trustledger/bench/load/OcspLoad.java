package org.trustledger.bench.load;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Figure 6, OCSP responses per second from the Class 1 responder, for certificates the run issued
 * ("good"), over RFC 6960 {@code POST /ocsp/class1} and {@code GET /ocsp/class1/<base64>}. The
 * requests (SHA-1 CertID, one certificate each, no nonce, as browsers and most relying parties send
 * them) are encoded before the clock starts. The first answer of each kind is checked completely
 * (successful, signed by the responder certificate it carries, status good for the serial asked);
 * under load an answer counts when it is HTTP 200 and a successful OCSPResponse (its status read from the
 * first bytes, so that counting costs the driver no CPU the server could have used).
 */
final class OcspLoad {

    private static final String PATH = "/ocsp/class1";

    private final Http http;
    private final List<BigInteger> serials;
    private final List<byte[]> requests = new ArrayList<>();

    OcspLoad(Http http, List<BigInteger> serials) throws IOException, OCSPException, OperatorCreationException {
        if (serials.isEmpty()) {
            throw new IllegalStateException("No issued certificate to ask OCSP about");
        }
        this.http = http;
        this.serials = List.copyOf(serials);
        X509CertificateHolder issuer = new X509CertificateHolder(http.getBytes("/ca/class1.der"));
        var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        for (BigInteger serial : this.serials) {
            requests.add(new OCSPReqBuilder().addRequest(new CertificateID(sha1, issuer, serial)).build().getEncoded());
        }
    }

    /** POST with the DER request as the body. */
    Supplier<Outcome> post(int index, int clients) {
        int[] k = {index};
        return () -> answer(() -> http.send("POST", PATH, requests.get(next(k, clients)),
                "Content-Type", "application/ocsp-request"), "");
    }

    /** GET with the base64 request, URL-encoded, in the path (RFC 6960 appendix A.1). */
    Supplier<Outcome> get(int index, int clients) {
        List<String> paths = requests.stream().map(OcspLoad::getPath).toList();
        int[] k = {index};
        return () -> {
            String path = paths.get(next(k, clients));
            // Named in the failure code: a path the server refuses for its shape, not for its request.
            return answer(() -> http.send("GET", path, null), path.contains("%2F%2F") ? " (path has %2F%2F)" : "");
        };
    }

    private static String getPath(byte[] request) {
        return PATH + "/" + URLEncoder.encode(Base64.getEncoder().encodeToString(request), StandardCharsets.US_ASCII);
    }

    private int next(int[] k, int clients) {
        int n = k[0] % requests.size();
        k[0] += clients;
        return n;
    }

    private static Outcome answer(Supplier<Wire.Response> exchange, String why) {
        Wire.Response response;
        try {
            response = exchange.get();
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName());
        }
        if (response.status() != 200) {
            return Outcome.failed("HTTP " + response.status() + why);
        }
        int status = responseStatus(response.body());
        return status == OCSPRespBuilder.SUCCESSFUL ? Outcome.OK : Outcome.failed("OCSP_STATUS_" + status);
    }

    /**
     * The responseStatus of a DER OCSPResponse (RFC 6960 4.2.1: a SEQUENCE whose first element is an
     * ENUMERATED) read from its first bytes, so that counting an answer costs the driver next to nothing;
     * {@link #check} parses and verifies whole answers. -1 when the bytes are not shaped so.
     */
    static int responseStatus(byte[] der) {
        if (der.length < 5 || der[0] != 0x30) {
            return -1;
        }
        int at = 1;
        int len = der[at++] & 0xff;
        if (len > 0x80) {
            at += len - 0x80; // long form: skip the length octets
        }
        if (at + 2 >= der.length || der[at] != 0x0a || der[at + 1] != 1) {
            return -1;
        }
        return der[at + 2];
    }

    /**
     * Checks one answer of each method completely: successful, signed by the responder certificate it
     * includes, one SingleResponse for the first serial, status good. A responder that answered fast
     * but wrongly must not produce a figure.
     */
    void check() throws Exception {
        for (Supplier<byte[]> fetch : List.<Supplier<byte[]>>of(
                () -> http.send("POST", PATH, requests.get(0), "Content-Type", "application/ocsp-request").body(),
                () -> http.getBytes(getPath(requests.get(0))))) {
            byte[] der = fetch.get();
            OCSPResp response = new OCSPResp(der);
            if (responseStatus(der) != response.getStatus()) {
                throw new IllegalStateException("The quick status reader disagrees with Bouncy Castle");
            }
            if (response.getStatus() != OCSPRespBuilder.SUCCESSFUL) {
                throw new IllegalStateException("OCSP answered status " + response.getStatus());
            }
            BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
            X509CertificateHolder responder = basic.getCerts()[0];
            if (!basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder))) {
                throw new IllegalStateException("The OCSP response's signature does not verify");
            }
            SingleResp single = basic.getResponses()[0];
            if (!single.getCertID().getSerialNumber().equals(serials.get(0)) || single.getCertStatus() != null) {
                throw new IllegalStateException("OCSP did not answer good for serial " + serials.get(0).toString(16)
                        + ": " + single.getCertStatus());
            }
        }
    }
}
