package org.trustledger.server.security;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLObjectType;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.trustledger.ledger.api.CallerStanding;
import org.trustledger.ledger.api.DescribeCallerCommand;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.eventstore.MongoEventStorageEngine;
import org.trustledger.server.graphql.ApiException;
import org.trustledger.server.graphql.ErrorCode;
import reactor.core.publisher.Mono;

/**
 * Enforces {@link AccessRules} on every query and mutation before it runs, and bounds every string
 * argument's length. The caller is resolved once per request from the session or bearer token.
 */
@Component
public class GraphQlAccess extends SimplePerformantInstrumentation implements WebGraphQlInterceptor {

    /** Longest string argument; PEM inputs are bounded by the request size (64 KiB) and their own checks. */
    static final int MAX_STRING = 4_000;
    static final Set<String> LONG_FIELDS = Set.of("csr", "publicKey");
    /** Beyond this many members the remembered standings are forgotten and learnt again. */
    static final int MAX_KNOWN = 100_000;
    private final CommandGateway commands;
    private final MongoEventStorageEngine store;
    private final Clock clock;
    /** Each caller's standing as the ledger gave it, with the last of their events it had seen. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /** Learnt on {@code day} (UTC): the standing is derived for a date (an age, a validity), so it is kept for that day only. */
    private record Known(long sequence, Caller caller, LocalDate day) {
    }

    public GraphQlAccess(CommandGateway commands, MongoEventStorageEngine store, Clock clock) {
        this.commands = commands;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (request instanceof WebSocketGraphQlRequest ws) {
            // Over WebSocket the member is the one authenticated at the handshake (bearer or session).
            return ws.getSessionInfo().getPrincipal()
                    .map(p -> p instanceof Authentication a ? caller(a) : Caller.ANONYMOUS)
                    .defaultIfEmpty(Caller.ANONYMOUS)
                    .flatMap(caller -> {
                        withCaller(request, caller);
                        return chain.next(request);
                    });
        }
        withCaller(request, caller(SecurityContextHolder.getContext().getAuthentication()));
        return chain.next(request);
    }

    private static void withCaller(WebGraphQlRequest request, Caller caller) {
        request.configureExecutionInput((input, builder) -> builder.graphQLContext(
                Map.of(Caller.CONTEXT_KEY, caller)).build());
    }

    Caller caller(Authentication authentication) {
        String memberId = AuthController.member(authentication);
        return memberId == null ? Caller.ANONYMOUS : standing(memberId);
    }

    /** The member as the ledger has them now (anonymous once locked, deleted or expired). */
    public Caller standing(String memberId) {
        // The ledger's own record, not a projection; but asked of the member aggregate only when the member
        // has new events. Loading it for every request took a lock on the aggregate (one token's concurrent
        // requests queued behind each other) and replayed its events since the last snapshot: the cheapest
        // request could not be answered 1,000 times a second. One lookup in the event store's unique
        // aggregate/sequence index says whether anything was appended since, on any node.
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Known k = known.get(memberId);
        if (k != null && k.day().equals(today) && !store.hasEvent(memberId, k.sequence() + 1)) {
            return k.caller();
        }
        try {
            long sequence = store.lastSequenceNumberFor(memberId).orElse(-1L); // read first: never newer than the standing
            CallerStanding standing = commands.sendAndWait(new DescribeCallerCommand(memberId));
            Caller caller = Caller.of(standing);
            if (known.size() >= MAX_KNOWN) {
                known.clear();
            }
            known.put(memberId, new Known(sequence, caller, today));
            return caller;
        } catch (LedgerRefusal e) {
            return Caller.ANONYMOUS; // an id with no member
        }
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        if (!(parameters.getEnvironment().getParentType() instanceof GraphQLObjectType parent)
                || !(parent.getName().equals("Query") || parent.getName().equals("Mutation")
                || parent.getName().equals("Subscription"))) {
            return fetcher;
        }
        String operation = parent.getName() + "." + parameters.getEnvironment().getField().getName();
        if (parameters.getEnvironment().getField().getName().startsWith("__")) {
            return fetcher;
        }
        return env -> {
            check(operation, env);
            return fetcher.get(env);
        };
    }

    private void check(String operation, DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        AccessRules.Rule rule = AccessRules.rule(operation);
        if (rule == null) {
            throw new ApiException(ErrorCode.FORBIDDEN, operation + " has no access rule, so nobody may call it.");
        }
        if (rule.needsLogin() && !caller.authenticated()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Log in first (POST /auth/login, or a bearer token from"
                    + " POST /auth/tokens).");
        }
        if (!rule.allows().test(caller, env.getArguments())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Not allowed: " + operation.substring(operation.indexOf('.') + 1)
                    + " is for " + rule.who() + ".");
        }
        checkLengths(env.getArguments(), null);
    }

    private static void checkLengths(Object value, String name) {
        if (value instanceof String s) {
            int max = name != null && LONG_FIELDS.contains(name) ? Integer.MAX_VALUE : MAX_STRING;
            if (s.length() > max) {
                throw new ApiException(ErrorCode.INPUT_TOO_LONG, "The argument '" + name + "' has " + s.length()
                        + " characters; at most " + MAX_STRING + " are accepted.");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> checkLengths(v, String.valueOf(k)));
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> checkLengths(v, name));
        }
    }
}
