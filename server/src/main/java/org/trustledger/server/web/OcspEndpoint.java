package org.trustledger.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.status.OcspResponder;

/**
 * The OCSP responder over HTTP (RFC 6960 appendix A): {@code POST /ocsp/{ca}} with the DER request as
 * {@code application/ocsp-request}, or {@code GET /ocsp/{ca}/{url-encoded base64 of the request}}.
 *
 * <p>Answered by this filter, after {@link RequestLimits} (body size, security headers) and the request
 * metrics, and before Spring Security and Spring MVC: OCSP is public, stateless and carries no
 * credentials, and it is the URL a CA answers most. Going through the security chain and MVC cost a POST
 * twice what the stored response costs (bench/README, figure 6).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class OcspEndpoint extends OncePerRequestFilter {

    static final String REQUEST_TYPE = "application/ocsp-request";
    static final String RESPONSE_TYPE = "application/ocsp-response";
    private final OcspResponder ocsp;

    public OcspEndpoint(OcspResponder ocsp) {
        this.ocsp = ocsp;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/ocsp/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length() + "/ocsp/".length());
        int slash = path.indexOf('/');
        String ca = slash < 0 ? path : path.substring(0, slash);
        String rest = slash < 0 ? null : path.substring(slash + 1);
        byte[] ocspRequest;
        if ("POST".equals(request.getMethod()) && rest == null) {
            String type = request.getContentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(REQUEST_TYPE)) {
                text(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Send the OCSP request as " + REQUEST_TYPE
                        + " (RFC 6960 appendix A.1).");
                return;
            }
            // RequestLimits has refused bodies above its bound and bodies of unknown length.
            ocspRequest = request.getInputStream().readNBytes(RequestLimits.MAX_BODY_BYTES);
        } else if ("GET".equals(request.getMethod()) && rest != null) {
            try {
                ocspRequest = Base64.getDecoder().decode(percentDecode(rest));
            } catch (IllegalArgumentException e) {
                ocspRequest = new byte[0]; // answered as a malformed request, as OCSP says
            }
        } else {
            response.setHeader("Allow", "GET, POST");
            text(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "OCSP is POST /ocsp/{ca} with the DER request, or"
                    + " GET /ocsp/{ca}/{url-encoded base64 of it}.");
            return;
        }
        CaId id;
        try {
            id = CaId.ofSlug(ca);
        } catch (IllegalArgumentException e) {
            text(response, HttpServletResponse.SC_NOT_FOUND, e.getMessage());
            return;
        }
        byte[] answer = ocsp.respond(id, ocspRequest);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(RESPONSE_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** %XX escapes only: a literal '+' in base64 stays a '+' (URLDecoder would make it a space). */
    static String percentDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
