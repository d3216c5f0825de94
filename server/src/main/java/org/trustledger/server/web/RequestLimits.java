package org.trustledger.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body (a GraphQL document with its variables) before anything parses it, and
 * sets the security headers a browser should see on every response.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLimits extends OncePerRequestFilter {

    /** Far above any real request (a registration is about 1 KiB); a GraphQL document is parsed only below it. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        String path = request.getRequestURI();
        if (path.startsWith("/graphql") || path.startsWith("/auth")) {
            // Personal data and fresh API tokens: never kept by a browser or a proxy cache.
            response.setHeader("Cache-Control", "no-store");
        }
        // GraphiQL's page is one file with an inline script and styles; everything else comes from this server.
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                + "frame-ancestors 'none'");
        long length = request.getContentLengthLong();
        if (length > MAX_BODY_BYTES || (length < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"))
                && !"GET".equals(request.getMethod()))) {
            reject(response, length);
            return;
        }
        chain.doFilter(request, response);
    }

    private static void reject(HttpServletResponse response, long length) throws IOException {
        response.setStatus(413);
        response.setContentType("application/json");
        String message = length > 0
                ? "The request has " + length + " bytes; at most " + MAX_BODY_BYTES + " are accepted."
                : "Send the request with a Content-Length of at most " + MAX_BODY_BYTES + " bytes.";
        response.getOutputStream().write(("{\"errors\":[{\"message\":\"" + message
                + "\",\"extensions\":{\"code\":\"DOCUMENT_TOO_LARGE\"}}]}").getBytes(StandardCharsets.UTF_8));
    }
}
