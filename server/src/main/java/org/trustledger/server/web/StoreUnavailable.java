package org.trustledger.server.web;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The store cannot be reached (down, partitioned, a replica set electing a new primary): every HTTP
 * answer says so the same way, 503 with a Retry-After and a GraphQL-shaped error whose code is
 * STORE_UNAVAILABLE, instead of a bare 500. Used by filters that touch the store before GraphQL runs
 * (bearer tokens) and by the plain HTTP endpoints (login, CA files, CRLs, OCSP).
 */
@RestControllerAdvice
public class StoreUnavailable {

    private static final Logger log = LoggerFactory.getLogger(StoreUnavailable.class);
    public static final String MESSAGE = "The ledger's database is unreachable; retry shortly. A change interrupted"
            + " this way is recorded whole or not at all: query before repeating it.";
    private static final String BODY = "{\"errors\":[{\"message\":\"" + MESSAGE
            + "\",\"extensions\":{\"code\":\"STORE_UNAVAILABLE\"}}]}";
    private static final String RETRY_AFTER_SECONDS = "5";

    /** Whether the failure, or one of its causes, means the store could not be reached (not a refusal or a bug). */
    public static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException
                    || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException) {
                return true;
            }
        }
        return false;
    }

    /** Writes the 503 answer to a response no one has written to yet. */
    public static void write(HttpServletResponse response, Throwable cause) throws IOException {
        log.warn("Store unavailable: {}", cause.toString());
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(BODY.getBytes(StandardCharsets.UTF_8));
    }

    @ExceptionHandler(MongoException.class)
    ResponseEntity<String> unreachable(MongoException e) throws MongoException {
        if (!isUnreachable(e)) {
            throw e; // a real failure: Spring's error handling logs it as one
        }
        log.warn("Store unavailable: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_JSON).body(BODY);
    }
}
