package org.trustledger.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.trustledger.ledger.api.AuthenticateCommand;
import org.trustledger.ledger.api.LedgerRefusal;

/**
 * Passphrase login: {@code POST /auth/login} opens a browser session (cookie, CSRF-protected);
 * {@code POST /auth/tokens} issues a bearer token for API clients (expiring, revocable with
 * {@code DELETE /auth/tokens/{id}}). Every credential check goes through {@link LoginThrottle}, and
 * every failure reads the same, whether or not the address has an account.
 */
@RestController
public class AuthController {

    private final CommandGateway commands;
    private final LoginThrottle throttle;
    private final ApiTokens tokens;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    public AuthController(CommandGateway commands, LoginThrottle throttle, ApiTokens tokens) {
        this.commands = commands;
        this.throttle = throttle;
        this.tokens = tokens;
    }

    record Credentials(String email, String passphrase, String label, Integer validityDays) {
    }

    @PostMapping("/auth/login")
    public ResponseEntity<Map<String, Object>> login(@RequestBody Credentials credentials, HttpServletRequest request,
                                                     HttpServletResponse response) {
        return check(credentials, request).map(memberId -> {
            HttpSession old = request.getSession(false);
            if (old != null) {
                old.invalidate(); // a fresh session id at login: no session fixation
            }
            request.getSession(true);
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(authentication(memberId));
            SecurityContextHolder.setContext(context);
            contexts.saveContext(context, request, response);
            return ResponseEntity.ok(Map.<String, Object>of("memberId", memberId));
        }).orElseGet(() -> refused(request, credentials));
    }

    @PostMapping("/auth/logout")
    public ResponseEntity<Map<String, Object>> logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return ResponseEntity.ok(Map.of("loggedOut", true));
    }

    /** The CSRF token a browser page sends back in {@code X-XSRF-TOKEN} (also set as a cookie). */
    @GetMapping("/auth/csrf")
    public Map<String, String> csrf(CsrfToken token) {
        return Map.of("headerName", token.getHeaderName(), "token", token.getToken());
    }

    @GetMapping("/auth/me")
    public ResponseEntity<Map<String, Object>> me(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null
                || "anonymousUser".equals(authentication.getName())) {
            return error(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Not logged in.");
        }
        return ResponseEntity.ok(Map.of("memberId", authentication.getName()));
    }

    @PostMapping("/auth/tokens")
    public ResponseEntity<Map<String, Object>> createToken(@RequestBody Credentials credentials,
                                                           HttpServletRequest request) {
        int days = credentials.validityDays() == null ? 30 : credentials.validityDays();
        if (days < 1 || days > ApiTokens.MAX_VALIDITY.toDays()) {
            return error(HttpStatus.BAD_REQUEST, "BAD_USER_INPUT", "validityDays must be 1 to "
                    + ApiTokens.MAX_VALIDITY.toDays() + ".");
        }
        if (credentials.label() != null && credentials.label().length() > 100) {
            return error(HttpStatus.BAD_REQUEST, "BAD_USER_INPUT", "A token label has at most 100 characters.");
        }
        return check(credentials, request).map(memberId -> {
            ApiTokens.Token t = tokens.create(memberId, credentials.label(), Duration.ofDays(days));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", t.id());
            body.put("token", t.secret());
            body.put("memberId", memberId);
            body.put("expiresAt", t.expiresAt().toString());
            return ResponseEntity.status(HttpStatus.CREATED).body(body);
        }).orElseGet(() -> refused(request, credentials));
    }

    @GetMapping("/auth/tokens")
    public ResponseEntity<?> listTokens(Authentication authentication) {
        String me = member(authentication);
        if (me == null) {
            return error(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Log in first.");
        }
        List<Map<String, Object>> list = tokens.of(me).stream().map(t -> Map.<String, Object>of("id", t.id(),
                "label", t.label(), "createdAt", t.createdAt().toString(), "expiresAt", t.expiresAt().toString(),
                "revoked", t.revoked())).toList();
        return ResponseEntity.ok(list);
    }

    @DeleteMapping("/auth/tokens/{id}")
    public ResponseEntity<Map<String, Object>> revokeToken(@PathVariable String id, Authentication authentication) {
        String me = member(authentication);
        if (me == null) {
            return error(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Log in first.");
        }
        return tokens.revoke(me, id) ? ResponseEntity.ok(Map.of("revoked", id))
                : error(HttpStatus.NOT_FOUND, "NOT_FOUND", "You have no token with this id.");
    }

    private Optional<String> check(Credentials credentials, HttpServletRequest request) {
        String address = request.getRemoteAddr();
        String email = credentials.email() == null ? "" : credentials.email();
        try (LoginThrottle.Attempt attempt = throttle.begin(email, address)) {
            if (attempt.refused()) {
                return Optional.empty();
            }
            try {
                String memberId = commands.sendAndWait(new AuthenticateCommand(email, credentials.passphrase()));
                attempt.succeeded();
                return Optional.of(memberId);
            } catch (LedgerRefusal e) {
                attempt.failed();
                return Optional.empty();
            }
        }
    }

    private ResponseEntity<Map<String, Object>> refused(HttpServletRequest request, Credentials credentials) {
        Optional<Instant> until = throttle.blockedUntil(credentials.email(), request.getRemoteAddr());
        if (until.isPresent()) {
            return error(HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_ATTEMPTS", "Too many failed attempts; try again after "
                    + until.get() + ".");
        }
        return error(HttpStatus.UNAUTHORIZED, "CREDENTIALS_INVALID", "Email or passphrase is wrong.");
    }

    static Authentication authentication(String memberId) {
        return UsernamePasswordAuthenticationToken.authenticated(memberId, null, List.of());
    }

    static String member(Authentication a) {
        return a == null || !a.isAuthenticated() || "anonymousUser".equals(a.getName()) ? null : a.getName();
    }

    static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("error", Map.of("code", code, "message", message)));
    }
}
