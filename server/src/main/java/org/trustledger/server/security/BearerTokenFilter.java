package org.trustledger.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.trustledger.server.web.StoreUnavailable;

/**
 * {@code Authorization: Bearer tl_...}: the request acts as the token's member. A token that is
 * unknown, expired or revoked is answered 401 at once, never downgraded to an anonymous request.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;

    public BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String memberId;
        try {
            memberId = tokens.authenticate(header.substring(7).strip()).orElse(null);
        } catch (RuntimeException e) {
            if (!StoreUnavailable.isUnreachable(e)) {
                throw e;
            }
            StoreUnavailable.write(response, e);
            return;
        }
        if (memberId == null) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"errors\":[{\"message\":\"The bearer token is unknown, expired or revoked.\","
                    + "\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(AuthController.authentication(memberId));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
