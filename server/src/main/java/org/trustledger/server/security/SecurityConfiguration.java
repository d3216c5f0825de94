package org.trustledger.server.security;

import com.mongodb.client.MongoDatabase;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.server.config.StoreDurability;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * HTTP security. Who may do what in GraphQL is decided per operation by {@link AccessRules}; here:
 * sessions (after {@code /auth/login}) and bearer tokens establish who is asking, CSRF protects every
 * state-changing request that carries the session cookie, and nothing outside the app's own paths is
 * served. Security headers come from {@code RequestLimits}.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** A request is exposed to CSRF only when the browser sends the session cookie with it. */
    static final RequestMatcher NO_AMBIENT_CREDENTIALS = request -> request.getHeader("Authorization") != null
            || !hasSessionCookie(request);

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ApiTokens tokens, CertificateRegister register, Clock clock,
                                            @Value("${trustledger.security.client-cert-port:0}") int clientCertPort)
            throws Exception {
        CsrfTokenRequestAttributeHandler plainToken = new CsrfTokenRequestAttributeHandler();
        plainToken.setCsrfRequestAttributeName(null); // load the token eagerly so the browser always has its cookie
        CsrfTokenRequestAttributeHandler lazyToken = new CsrfTokenRequestAttributeHandler();
        // A request with a bearer token is not exposed to CSRF and is not a browser's: no token is made for it
        // (it used to get a fresh XSRF-TOKEN cookie on every API request).
        CsrfTokenRequestHandler csrfTokens = new CsrfTokenRequestHandler() {
            @Override
            public void handle(HttpServletRequest request, HttpServletResponse response,
                               java.util.function.Supplier<CsrfToken> token) {
                (request.getHeader("Authorization") != null ? lazyToken : plainToken).handle(request, response, token);
            }

            @Override
            public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
                return plainToken.resolveCsrfTokenValue(request, token);
            }
        };
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfTokens).ignoringRequestMatchers(NO_AMBIENT_CREDENTIALS))
                // No SessionManagementFilter: it stored every bearer-token or client-certificate request's
                // authentication in a new HTTP session (a session per API request, held for 30 minutes, and
                // a session cookie that went on authenticating after the token was revoked). Passphrase
                // login makes its session itself, with a fresh id (AuthController).
                .sessionManagement(s -> s.disable())
                .formLogin(f -> f.disable()).httpBasic(b -> b.disable()).logout(l -> l.disable())
                .headers(h -> h.disable())
                .requestCache(c -> c.disable())
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new ClientCertificateLogin(register, clock, clientCertPort),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/graphql", "/graphql-ws", "/graphiql", "/graphiql/**", "/webjars/**", "/auth/**", "/ca/**",
                                "/crl/**", "/ocsp/**", "/graph/**", "/actuator/health", "/actuator/health/**",
                                "/actuator/prometheus", "/error", "/", "/favicon.ico").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }

    /**
     * The mutual-TLS port for client-certificate login ({@code trustledger.security.client-cert-port},
     * off when 0), with a server certificate for {@code trustledger.security.client-cert-hosts}.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> mutualTlsPort(
            @Value("${trustledger.security.client-cert-port:0}") int port,
            @Value("${trustledger.security.client-cert-hosts:localhost,127.0.0.1}") List<String> hosts,
            ObjectProvider<CaHierarchy> cas, Clock clock) {
        return factory -> {
            if (port > 0) {
                factory.addAdditionalConnectors(MutualTlsConnector.create(port, hosts, cas.getObject(), clock));
            }
        };
    }

    /** RFC 6960 GET requests put base64 (with '/' as %2F) in the path: let encoded slashes through. */
    @Bean
    org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer ocspGetPaths() {
        org.springframework.security.web.firewall.StrictHttpFirewall firewall =
                new org.springframework.security.web.firewall.StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        // Tomcat passes %2F through undecoded, so the decoded path still holds a '%'.
        firewall.setAllowUrlEncodedPercent(true);
        // Base64 may hold "//" (about one request in 200 had %2F%2F and was refused with 400: found by bench/).
        firewall.setAllowUrlEncodedDoubleSlash(true);
        return web -> web.httpFirewall(firewall);
    }

    /** No user database for Spring's form login: members authenticate through {@link AuthController}. */
    @Bean
    UserDetailsService noUserDetails() {
        return username -> {
            throw new UsernameNotFoundException("Log in with POST /auth/login or a bearer token.");
        };
    }

    @Bean
    RecoveryLog recoveryLog(MongoDatabase db, Clock clock) {
        return new RecoveryLog(db, clock);
    }

    @Bean
    ApiTokens apiTokens(MongoDatabase db, SecureRandom random, Clock clock) {
        return new ApiTokens(db, random, clock);
    }

    /**
     * Wrong email/date-of-birth pairs in assurances and addresses found taken by addEmail, per member and per
     * client address (keys of their own in the same collection): enough for typos at an assurance event,
     * not for trying every date of birth.
     */
    @Bean
    LoginThrottle identificationThrottle(MongoDatabase db, StoreDurability durability, Clock clock,
                                         @Value("${trustledger.security.identification-failures-per-member:10}") int perMember,
                                         @Value("${trustledger.security.identification-failures-per-address:50}") int perAddress) {
        return new LoginThrottle(db, durability, clock, perMember, perAddress);
    }

    @Bean
    @org.springframework.context.annotation.Primary
    LoginThrottle loginThrottle(MongoDatabase db, StoreDurability durability, Clock clock,
                                @Value("${trustledger.security.failures-per-account:5}") int perAccount,
                                @Value("${trustledger.security.failures-per-address:20}") int perAddress) {
        return new LoginThrottle(db, durability, clock, perAccount, perAddress);
    }

    private static boolean hasSessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        return cookies != null && Arrays.stream(cookies).anyMatch(c -> c.getName().equals("JSESSIONID"));
    }
}
