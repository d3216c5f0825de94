package org.trustledger.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.CertificateView;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.issuance.x509.Pem;

/**
 * Login with a client certificate issued by this CA, on the mutual-TLS port: Tomcat has already
 * checked the chain to the Class 1 root; here the certificate must be in the register as a valid
 * (unrevoked, unexpired) CLIENT certificate with the same fingerprint, and the request acts as its
 * owner. Anything else on that port is answered 401; cross-site requests (another Origin) 403.
 */
public class ClientCertificateLogin extends OncePerRequestFilter {

    private final CertificateRegister register;
    private final Clock clock;
    private final int port;

    public ClientCertificateLogin(CertificateRegister register, Clock clock, int port) {
        this.register = register;
        this.clock = clock;
        this.port = port;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return port <= 0 || request.getLocalPort() != port;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals("https://" + request.getHeader("Host"))) {
            // A browser holding a client certificate would present it to any site's request: refuse
            // cross-site requests here, as CSRF protection does for sessions.
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        Object attribute = request.getAttribute("jakarta.servlet.request.X509Certificate");
        Optional<String> member = attribute instanceof X509Certificate[] chainCerts && chainCerts.length > 0
                ? memberOf(chainCerts[0]) : Optional.empty();
        if (member.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"errors\":[{\"message\":\"This port needs a valid client certificate"
                    + " issued by this CA to a member (not revoked, not expired).\",\"extensions\":{\"code\":"
                    + "\"UNAUTHENTICATED\"}}]}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(AuthController.authentication(member.get()));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }

    Optional<String> memberOf(X509Certificate presented) {
        String fingerprint;
        try {
            fingerprint = Pem.sha256Fingerprint(presented.getEncoded());
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
        return register.certificate(presented.getSerialNumber().toString(16))
                .filter(c -> c.kind() == CertificateKind.CLIENT)
                .filter(c -> fingerprint.equals(c.sha256Fingerprint()))
                .filter(c -> c.status(clock.instant()) == CertificateView.Status.VALID)
                .map(CertificateView::memberId);
    }
}
