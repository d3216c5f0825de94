package org.trustledger.server.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import org.trustledger.ledger.api.Role;

/**
 * Who may call each GraphQL operation: one rule per query and mutation, enforced on the server before
 * the operation runs (an operation without a rule is refused: fail closed). "actor" rules compare the
 * actor named in the input with the logged-in member; the ledger then applies its own business rules
 * (e.g. only the arbitrator assigned to a case rules in it). Field-level privacy (what of a member
 * each caller sees) is {@link Privacy}. The README's authorization table is this table.
 */
public final class AccessRules {

    /** One operation's rule: who, in words (for the README and errors), and the check. */
    public record Rule(String who, boolean needsLogin, BiPredicate<Caller, Map<String, Object>> allows) {
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        // Anyone, logged in or not.
        for (String op : new String[] {"Mutation.registerMember", "Mutation.verifyEmail", "Mutation.verifyDomain",
                "Mutation.verifyOrganisationDomain", "Mutation.startPassphraseRecovery",
                "Mutation.completePassphraseRecovery", "Query.caCertificates", "Query.trustGraph", "Query.ledgerStats"}) {
            RULES.put(op, new Rule("anyone", false, (c, a) -> true));
        }
        // Any member; what they see of others is limited by Privacy and by each read.
        for (String op : new String[] {"Query.member", "Query.memberByEmail", "Query.assurance", "Query.arbitrationCase",
                "Query.certificate", "Query.certificateRequest", "Query.organisation",
                "Query.me", "Subscription.ledgerEvents", "Subscription.pointsChanged"}) {
            RULES.put(op, new Rule("any member (reads filtered by privacy)", true, (c, a) -> true));
        }
        self("Mutation.addEmail", "input.memberId");
        self("Mutation.correctMemberDetails", "input.memberId");
        self("Mutation.startAssurerChallenge", "memberId");
        self("Mutation.submitAssurerChallenge", "input.memberId");
        self("Mutation.requestCertificate", "input.memberId");
        self("Mutation.addDomain", "memberId");
        self("Mutation.signOpenPgpKey", "memberId");
        RULES.put("Mutation.revokeCertificate", new Rule("the certificate's owner, or support (as requestedBy)", true,
                (c, a) -> a.get("requestedBy") == null || c.is(a.get("requestedBy"))));
        RULES.put("Query.assurerChallengeResults", new Rule("the member, or support", true,
                (c, a) -> c.is(a.get("memberId")) || c.support()));
        RULES.put("Query.pointsAsOf", new Rule("the member, support, or an arbitrator of a case the member is a party to", true,
                (c, a) -> c.is(a.get("memberId")) || c.support() || c.has(Role.ARBITRATOR)));
        RULES.put("Query.memberHistory", RULES.get("Query.pointsAsOf"));
        RULES.put("Query.voidingImpact", new Rule("support, or an arbitrator of a case of the assuree or assurer", true,
                (c, a) -> c.support() || c.has(Role.ARBITRATOR)));
        RULES.put("Query.projectionStatus", new Rule("support", true, (c, a) -> c.support()));
        RULES.put("Query.recoveryAttempts", RULES.get("Query.projectionStatus"));
        RULES.put("Mutation.rebuildProjections", RULES.get("Query.projectionStatus"));
        RULES.put("Query.devOutbox", new Rule("support (dev mode only)", true, (c, a) -> c.support()));
        RULES.put("Mutation.recordAssurerChallenge", new Rule("support (records a challenge taken elsewhere)", true,
                (c, a) -> c.support()));
        actor("Mutation.recordAssurance", "input.assurerId", "an Assurer, as themselves", (c, a) -> c.assurer());
        actor("Mutation.recordTtpAssurance", "input.adminId", "a TTP admin, as themselves", (c, a) -> c.has(Role.TTP_ADMIN));
        actor("Mutation.recordTopUp", "input.seniorAssurerId", "a Senior Assurer, as themselves",
                (c, a) -> c.seniorAssurer());
        actor("Mutation.appointRole", "input.appointedBy", "support, as themselves", (c, a) -> c.support());
        actor("Mutation.withdrawRole", "input.withdrawnBy", "support, as themselves", (c, a) -> c.support());
        actor("Mutation.setCodeSigning", "input.setBy", "support, as themselves", (c, a) -> c.support());
        actor("Mutation.assignArbitrator", "input.assignedBy", "support, as themselves", (c, a) -> c.support());
        actor("Mutation.recordParentalConsent", "input.recordedBy", "support or an Assurer, as themselves",
                (c, a) -> c.support() || c.assurer());
        RULES.put("Mutation.fileCase", new Rule("the claimant, or support for them", true,
                (c, a) -> c.is(arg(a, "input.claimantId")) || c.support()));
        for (String ruling : new String[] {"voidAssurance", "adjustPoints", "blockAssurer", "unblockAssurer",
                "lockAccount", "changeMemberName", "changeMemberDateOfBirth", "deleteAccount", "revokeCertificates",
                "closeCase"}) {
            actor("Mutation." + ruling, "input.arbitratorId", "the case's assigned Arbitrator, as themselves",
                    (c, a) -> c.has(Role.ARBITRATOR));
        }
        actor("Mutation.assureOrganisation", "input.assurerId", "an Organisation Assurer, as themselves",
                (c, a) -> c.has(Role.ORGANISATION_ASSURER));
        actor("Mutation.changeOrganisationAdmin", "changedBy", "an Organisation Assurer, as themselves",
                (c, a) -> c.has(Role.ORGANISATION_ASSURER));
        actor("Mutation.addOrganisationDomain", "requestedBy", "an administrator of the organisation, as themselves",
                (c, a) -> true);
    }

    private AccessRules() {
    }

    /** The rule of {@code Type.field}, or null when there is none (then the operation is refused). */
    public static Rule rule(String operation) {
        return RULES.get(operation);
    }

    public static Map<String, Rule> all() {
        return Map.copyOf(RULES);
    }

    private static void self(String op, String path) {
        RULES.put(op, new Rule("the member themselves (" + path + ")", true, (c, a) -> c.is(arg(a, path))));
    }

    private static void actor(String op, String path, String who, BiPredicate<Caller, Map<String, Object>> role) {
        RULES.put(op, new Rule(who + " (" + path + ")", true, (c, a) -> c.is(arg(a, path)) && role.test(c, a)));
    }

    /** An argument by dotted path, e.g. {@code input.memberId}. */
    @SuppressWarnings("unchecked")
    static Object arg(Map<String, Object> args, String path) {
        Object value = args;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = ((Map<String, Object>) map).get(part);
        }
        return value;
    }
}
