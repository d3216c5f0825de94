package org.trustledger.ledger.member;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.trustledger.ledger.rules.Emails;
import org.trustledger.ledger.api.AccountDeleted;
import org.trustledger.ledger.api.AccountLocked;
import org.trustledger.ledger.api.AssuranceVoided;
import org.trustledger.ledger.api.TrustedThirdParty;
import org.trustledger.ledger.api.AssurerBlockChanged;
import org.trustledger.ledger.api.CertificateRevocationOrdered;
import org.trustledger.ledger.api.DateOfBirthChanged;
import org.trustledger.ledger.api.NameChanged;
import org.trustledger.ledger.api.ParentalConsentRecorded;
import org.trustledger.ledger.api.PointsAdjusted;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.RoleAppointed;
import org.trustledger.ledger.api.RoleWithdrawn;
import org.trustledger.ledger.api.AssurerChallengeGraded;
import org.trustledger.ledger.api.AssurerChallengeStarted;
import org.trustledger.ledger.api.ChallengeGrade;
import org.trustledger.ledger.api.StartAssurerChallengeCommand;
import org.trustledger.ledger.api.SubmitAssurerChallengeCommand;
import org.trustledger.ledger.challenge.QuestionBank;
import org.trustledger.ledger.api.TtpAssuranceRecorded;
import org.trustledger.ledger.rules.Standing;
import org.trustledger.ledger.api.AddEmailCommand;
import org.trustledger.ledger.api.CodeSigningPermissionChanged;
import org.trustledger.ledger.api.CorrectOwnDetailsCommand;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssuranceRefused;
import org.trustledger.ledger.api.AssurerChallengePassed;
import org.trustledger.ledger.api.EmailVerificationExpired;
import org.trustledger.ledger.api.EmailVerificationRequested;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.CallerStanding;
import org.trustledger.ledger.api.PassphraseReset;
import org.trustledger.ledger.api.RecoveryAttemptFailed;
import org.trustledger.ledger.api.RecoveryAttemptRefused;
import org.trustledger.ledger.api.RecoveryHeld;
import org.trustledger.ledger.api.RecoveryIdentificationFailed;
import org.trustledger.ledger.api.RecoveryLocked;
import org.trustledger.ledger.api.RecoveryOutcome;
import org.trustledger.ledger.api.RecoveryStarted;
import org.trustledger.ledger.api.SecurityQuestion;
import org.trustledger.ledger.api.AddDomainCommand;
import org.trustledger.ledger.api.DomainControlRequested;
import org.trustledger.ledger.api.DomainVerified;
import org.trustledger.ledger.rules.CommonPassphrases;
import org.trustledger.ledger.rules.Domains;
import org.trustledger.ledger.api.ExpireUnverifiedEmailCommand;
import org.trustledger.ledger.api.FoundingAssurerRecognised;
import org.trustledger.ledger.api.LedgerRefusal;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecogniseFoundingAssurerCommand;
import org.trustledger.ledger.api.RecordAssuranceCommand;
import org.trustledger.ledger.api.RecordAssurerChallengeCommand;
import org.trustledger.ledger.api.RefusalCode;
import org.trustledger.ledger.api.RegisterMemberCommand;
import org.trustledger.ledger.api.SecurityQuestion;
import org.trustledger.ledger.api.SecurityQuestionAnswer;
import org.trustledger.ledger.rules.MemberFacts;
import org.trustledger.ledger.rules.PointsRules;

/**
 * A member of the community: identity, emails, the assurances received and given, and the facts the
 * points rules read. Decisions are made in command handlers; event sourcing handlers only assign.
 */
@Aggregate(cache = "memberCache", snapshotTriggerDefinition = "memberSnapshotTrigger")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Member {

    static final int MAX_NAME_LENGTH = 100;
    static final int MIN_PASSPHRASE_LENGTH = 10;
    static final int MAX_PASSPHRASE_LENGTH = 1000;
    static final int SECURITY_QUESTIONS = 5;
    static final int MAX_QUESTION_LENGTH = 200;
    static final int MIN_LOCATION_LENGTH = 3;
    static final int MAX_LOCATION_LENGTH = 200;
    static final int MAX_DOCUMENTS = 10;
    static final int MAX_DOCUMENT_LENGTH = 100;

    @AggregateIdentifier
    private String memberId;
    private PersonName name;
    private LocalDate dateOfBirth;
    private String primaryEmail;
    private boolean accountExpired;
    private boolean locked;
    private boolean challengePassed;
    private boolean blockedAsAssurer;
    private boolean parentalConsent;
    private boolean codeSigningEnabled;
    private boolean deleted;
    private int grantedAssurancePoints;
    private int grantedExperiencePoints;
    private Set<Role> roles = new HashSet<>();
    private Map<String, Pending> pendingEmails = new HashMap<>();
    private Set<String> verifiedEmails = new HashSet<>();
    private String passphraseHash;
    private List<SecurityQuestion> securityQuestions = new ArrayList<>();
    /** The recovery in progress: its id, the question indexes drawn, and when it expires. */
    private String recoveryId;
    private List<Integer> recoveryQuestions = new ArrayList<>();
    private Instant recoveryExpiresAt;
    private int recoveryFailures;
    private boolean recoveryLocked;
    private java.util.ArrayDeque<Instant> identificationFailures = new java.util.ArrayDeque<>();
    private Instant recoveryHeldUntil;
    /** Domains waiting for their token: domain to the pending token. */
    private Map<String, Pending> pendingDomains = new HashMap<>();
    private Map<String, String> pendingApprover = new HashMap<>();
    private Set<String> verifiedDomains = new HashSet<>();
    private Map<String, Received> received = new LinkedHashMap<>();
    private Map<String, String> activeAssuranceByAssurer = new HashMap<>();
    private Set<String> faceToFaceGiven = new HashSet<>();
    private Set<String> givenOther = new HashSet<>();
    private Set<String> voidedGiven = new HashSet<>();
    /** Active TTP-assisted assurances: assurance id to the TTP's normalised name and the recording admin. */
    private Map<String, String[]> ttpAssurances = new LinkedHashMap<>();
    private boolean topUpReceived;
    /** The open challenge attempt, if any: its id and drawn questions. */
    private String openAttempt;
    private List<String> openQuestions = new ArrayList<>();

    /** An email address waiting for its token. */
    record Pending(String nonce, Instant expiresAt) {
    }

    /** An assurance received: who gave it, what was awarded, whether it was voided. */
    record Received(String assurerId, AssuranceKind kind, int points, boolean voided) {
    }

    protected Member() {
        // for Axon
    }

    @CommandHandler
    public Member(RegisterMemberCommand cmd, EmailRegistry registry, EmailTokens tokens, SecretHasher hasher,
                  Clock clock) {
        Instant now = clock.instant();
        PersonName name = checkName(cmd.name());
        LocalDate dob = checkDateOfBirth(cmd.dateOfBirth(), clock);
        String email = checkEmail(cmd.email());
        checkPassphrase(cmd.passphrase());
        List<SecurityQuestion> questions = checkQuestions(cmd.securityQuestions(), hasher);
        claim(registry, email, cmd.memberId(), now);
        apply(new MemberRegistered(cmd.memberId(), name, dob, email, hasher.hashPassphrase(cmd.passphrase()),
                questions, now));
        requestVerification(registry, tokens, cmd.memberId(), email, now);
    }

    @CommandHandler
    public Member(RecogniseFoundingAssurerCommand cmd, EmailRegistry registry, SecretHasher hasher, Clock clock) {
        Instant now = clock.instant();
        PersonName name = checkName(cmd.name());
        LocalDate dob = checkDateOfBirth(cmd.dateOfBirth(), clock);
        String email = checkEmail(cmd.email());
        checkPassphrase(cmd.passphrase());
        claim(registry, email, cmd.memberId(), now);
        apply(new MemberRegistered(cmd.memberId(), name, dob, email, hasher.hashPassphrase(cmd.passphrase()),
                List.of(), now));
        apply(new EmailVerified(cmd.memberId(), email, now));
        registry.markVerified(email, cmd.memberId());
        apply(new FoundingAssurerRecognised(cmd.memberId(), PointsRules.MAX_ASSURANCE_POINTS,
                PointsRules.MAX_EXPERIENCE_POINTS, true, cmd.source(), now));
        for (Role role : cmd.roles() == null ? List.<Role>of() : cmd.roles()) {
            apply(new RoleAppointed(cmd.memberId(), role, "genesis", "founding member (" + cmd.source() + ")", now));
        }
    }

    @CommandHandler
    public void handle(AddEmailCommand cmd, EmailRegistry registry, EmailTokens tokens, Clock clock) {
        requireUsable();
        Instant now = clock.instant();
        String email = checkEmail(cmd.email());
        if (verifiedEmails.contains(email)) {
            throw new LedgerRefusal(RefusalCode.EMAIL_ALREADY_VERIFIED, "This address is already verified on your account.");
        }
        claim(registry, email, memberId, now);
        requestVerification(registry, tokens, memberId, email, now);
    }

    /** Called by {@link EmailVerificationHandler} once the token's MAC matched this member and address. */
    void verifyEmail(String email, String nonce, EmailRegistry registry, Instant now) {
        Pending pending = pendingEmails.get(email);
        if (verifiedEmails.contains(email)) {
            throw new LedgerRefusal(RefusalCode.EMAIL_ALREADY_VERIFIED, "This address is already verified.");
        }
        if (pending == null || !pending.nonce().equals(nonce)) {
            throw new LedgerRefusal(RefusalCode.TOKEN_INVALID,
                    "This token is not valid: it was replaced by a newer one or the address expired.");
        }
        if (now.isAfter(pending.expiresAt())) {
            throw new LedgerRefusal(RefusalCode.TOKEN_EXPIRED,
                    "This token expired: addresses must be verified within 48 hours. Register the address again.");
        }
        apply(new EmailVerified(memberId, email, now));
        registry.markVerified(email, memberId);
    }

    @CommandHandler
    public void handle(AddDomainCommand cmd, EmailRegistry nonces, DomainRegistry domains, EmailTokens tokens,
                       Clock clock) {
        requireUsable();
        String domain = Domains.normaliseDomain(cmd.domain()).orElseThrow(() -> new LedgerRefusal(
                RefusalCode.DOMAIN_INVALID, "'" + cmd.domain() + "' is not a valid domain name (for example example.org;"
                + " no wildcard, no IP address)."));
        String approver = cmd.approver() == null ? "" : cmd.approver().strip().toLowerCase(java.util.Locale.ROOT);
        if (!Domains.APPROVERS.contains(approver)) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_APPROVER_INVALID,
                    "The token can only go to root@, hostmaster@, postmaster@, admin@ or webmaster@ the domain.");
        }
        if (verifiedDomains.contains(domain)) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_ALREADY_VERIFIED, "The domain " + domain + " is already verified on your account.");
        }
        if (domains.holder(domain).filter(h -> !h.equals(memberId)).isPresent()) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_TAKEN, "The domain " + domain + " is already verified by another account.");
        }
        Instant now = clock.instant();
        String nonce = tokens.newNonce();
        nonces.rememberNonce(nonce, memberId, DomainVerificationHandler.NONCE_SUBJECT + domain);
        apply(new DomainControlRequested(memberId, domain, approver + "@" + domain, nonce, now,
                now.plus(EmailRegistry.VERIFICATION_WINDOW)));
    }

    /** Called by {@link DomainVerificationHandler} once the token's MAC matched this member and domain. */
    void verifyDomain(String domain, String nonce, DomainRegistry domains, Instant now) {
        requireUsable();
        if (verifiedDomains.contains(domain)) {
            throw new LedgerRefusal(RefusalCode.DOMAIN_ALREADY_VERIFIED, "The domain " + domain + " is already verified.");
        }
        Pending pending = pendingDomains.get(domain);
        if (pending == null || !pending.nonce().equals(nonce)) {
            throw new LedgerRefusal(RefusalCode.TOKEN_INVALID, "This token is not valid: a newer one replaced it.");
        }
        if (now.isAfter(pending.expiresAt())) {
            throw new LedgerRefusal(RefusalCode.TOKEN_EXPIRED,
                    "This token expired: domains must be verified within 48 hours. Add the domain again.");
        }
        domains.claim(domain, memberId);
        CurrentUnitOfWork.ifStarted(uow -> uow.onRollback(u -> domains.release(domain, memberId)));
        apply(new DomainVerified(memberId, domain, pendingApprover.getOrDefault(domain, ""), now));
    }

    // ---- credentials and recovery (DOMAIN.md section 1) ---------------------------------------------

    static final int RECOVERY_QUESTIONS = 3;
    static final int RECOVERY_FAILURES_BEFORE_LOCK = 3;
    static final java.time.Duration RECOVERY_WINDOW = java.time.Duration.ofMinutes(15);
    /** Three wrong details within this time pause recovery for as long. */
    static final java.time.Duration RECOVERY_PAUSE = java.time.Duration.ofHours(24);
    static final String RECOVERY_REFUSED = "These details do not allow a recovery. If they are right, recovery may be"
            + " locked or paused after repeated failures: support has been told and will contact the account holder.";

    boolean passphraseMatches(String passphrase, SecretHasher hasher) {
        boolean matches = passphraseHash != null && hasher.passphraseMatches(passphrase, passphraseHash);
        return matches && !deleted && !locked;
    }

    /**
     * Step 1. Every refusal here answers the same as for an address nobody has, whatever was wrong and
     * whether recovery is locked or paused: only someone who knows the address and the date of birth
     * learns anything, and a pause makes guessing the date of birth useless.
     */
    RecoveryOutcome startRecovery(String newRecoveryId, String email, LocalDate dob, java.security.SecureRandom random,
                                  Instant now) {
        if (recoveryLocked || (recoveryHeldUntil != null && now.isBefore(recoveryHeldUntil))) {
            apply(new RecoveryAttemptRefused(memberId, newRecoveryId, recoveryLocked ? "recovery is locked"
                    : "recovery is paused until " + recoveryHeldUntil, now));
            return RecoveryOutcome.failed(RefusalCode.RECOVERY_FAILED, RECOVERY_REFUSED);
        }
        if (deleted || locked || securityQuestions.size() != SECURITY_QUESTIONS || !email.equals(primaryEmail)
                || !dob.equals(dateOfBirth)) {
            apply(new RecoveryIdentificationFailed(memberId, newRecoveryId, now));
            if (identificationFailures.size() >= RECOVERY_FAILURES_BEFORE_LOCK) {
                apply(new RecoveryHeld(memberId, identificationFailures.size(), now, now.plus(RECOVERY_PAUSE)));
            }
            return RecoveryOutcome.failed(RefusalCode.RECOVERY_FAILED, RECOVERY_REFUSED);
        }
        List<Integer> indexes = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        java.util.Collections.shuffle(indexes, random);
        List<Integer> drawn = List.copyOf(indexes.subList(0, RECOVERY_QUESTIONS));
        apply(new RecoveryStarted(memberId, newRecoveryId, drawn, now, now.plus(RECOVERY_WINDOW)));
        return new RecoveryOutcome(true, drawn.stream().map(i -> securityQuestions.get(i).question()).toList(), null,
                null, null);
    }

    /** Step 2: the caller holds a recovery id, so they knew the address and the date of birth. */
    RecoveryOutcome completeRecovery(String id, List<String> answers, String newPassphrase, SecretHasher hasher,
                                     Instant now) {
        if (recoveryLocked) {
            apply(new RecoveryAttemptRefused(memberId, id, "recovery is locked", now));
            return RecoveryOutcome.failed(RefusalCode.RECOVERY_LOCKED, "Recovery is locked for this account after"
                    + " repeated failures; support has been told.");
        }
        if (recoveryId == null || !recoveryId.equals(id) || now.isAfter(recoveryExpiresAt)) {
            apply(new RecoveryAttemptRefused(memberId, id, "this recovery is no longer valid", now));
            return RecoveryOutcome.failed(RefusalCode.RECOVERY_FAILED, "This recovery is not valid or has expired"
                    + " (15 minutes): start again.");
        }
        checkPassphrase(newPassphrase);
        boolean allCorrect = answers != null && answers.size() == RECOVERY_QUESTIONS;
        for (int i = 0; allCorrect && i < RECOVERY_QUESTIONS; i++) {
            allCorrect = hasher.answerMatches(answers.get(i), securityQuestions.get(recoveryQuestions.get(i)).answerHash());
        }
        if (!allCorrect) {
            apply(new RecoveryAttemptFailed(memberId, id, "wrong answers", now));
            if (recoveryFailures >= RECOVERY_FAILURES_BEFORE_LOCK) {
                apply(new RecoveryLocked(memberId, recoveryFailures, now));
            }
            return RecoveryOutcome.failed(recoveryLocked ? RefusalCode.RECOVERY_LOCKED : RefusalCode.RECOVERY_FAILED,
                    "The answers are not all correct." + (recoveryLocked ? " Recovery is now locked; support has been"
                            + " told." : " Start again."));
        }
        apply(new PassphraseReset(memberId, id, hasher.hashPassphrase(newPassphrase), now));
        return new RecoveryOutcome(true, List.of(), memberId, null, null);
    }

    @EventSourcingHandler
    void on(RecoveryIdentificationFailed e) {
        identificationFailures.addLast(e.failedAt());
        while (!identificationFailures.isEmpty()
                && !identificationFailures.peekFirst().isAfter(e.failedAt().minus(RECOVERY_PAUSE))) {
            identificationFailures.removeFirst();
        }
    }

    @EventSourcingHandler
    void on(RecoveryHeld e) {
        recoveryHeldUntil = e.until();
        identificationFailures.clear();
    }

    @EventSourcingHandler
    void on(RecoveryStarted e) {
        recoveryId = e.recoveryId();
        recoveryQuestions = new ArrayList<>(e.questionIndexes());
        recoveryExpiresAt = e.expiresAt();
    }

    @EventSourcingHandler
    void on(RecoveryAttemptFailed e) {
        recoveryFailures++;
        recoveryId = null;
    }

    @EventSourcingHandler
    void on(RecoveryLocked e) {
        recoveryLocked = true;
    }

    @EventSourcingHandler
    void on(PassphraseReset e) {
        passphraseHash = e.passphraseHash();
        recoveryId = null;
        recoveryFailures = 0;
    }

    /** @return whether anything expired (false when verified meanwhile, not yet due, or done already) */
    @CommandHandler
    public boolean handle(ExpireUnverifiedEmailCommand cmd, EmailRegistry registry, Clock clock) {
        Instant now = clock.instant();
        String email = Emails.normalise(cmd.email());
        Pending pending = pendingEmails.get(email);
        if (pending == null || !now.isAfter(pending.expiresAt())) {
            return false;
        }
        boolean account = email.equals(primaryEmail) && !verifiedEmails.contains(primaryEmail);
        apply(new EmailVerificationExpired(memberId, email, account, now));
        registry.release(email, memberId);
        return true;
    }

    @CommandHandler
    public void handle(CorrectOwnDetailsCommand cmd, Clock clock) {
        requireUsable();
        if (PointsRules.assurancePoints(facts().countedAwards(), grantedAssurancePoints) > 0) {
            throw new LedgerRefusal(RefusalCode.DETAILS_FIXED_BY_ASSURANCE, "Name and date of birth can be changed by"
                    + " the member only while they have 0 assurance points; after that only an arbitration ruling can.");
        }
        PersonName newName = checkName(cmd.name());
        LocalDate newDob = checkDateOfBirth(cmd.dateOfBirth(), clock);
        if (!newName.equals(name)) {
            apply(new NameChanged(null, memberId, newName, "corrected by the member", clock.instant()));
        }
        if (!newDob.equals(dateOfBirth)) {
            apply(new DateOfBirthChanged(null, memberId, newDob, "corrected by the member", clock.instant()));
        }
    }

    @CommandHandler
    public void handle(RecordAssurerChallengeCommand cmd, Clock clock) {
        requireUsable();
        if (cmd.scorePercent() < 0 || cmd.scorePercent() > 100) {
            throw new LedgerRefusal(RefusalCode.CHALLENGE_SCORE_INVALID, "A challenge score is a percentage from 0 to 100.");
        }
        if (cmd.scorePercent() < PointsRules.CHALLENGE_PASS_MARK_PERCENT) {
            throw new LedgerRefusal(RefusalCode.CHALLENGE_SCORE_BELOW_PASS_MARK,
                    "The pass mark is " + PointsRules.CHALLENGE_PASS_MARK_PERCENT + " %; " + cmd.scorePercent()
                            + " % is not a pass.");
        }
        LocalDate passedOn = cmd.passedOn() == null ? LocalDate.now(clock) : cmd.passedOn();
        if (passedOn.isAfter(LocalDate.now(clock))) {
            throw new LedgerRefusal(RefusalCode.CHALLENGE_SCORE_INVALID, "A challenge cannot be passed in the future.");
        }
        apply(new AssurerChallengePassed(memberId, cmd.scorePercent(), passedOn, cmd.recordedBy(), clock.instant()));
    }

    // ---- the Assurer Challenge quiz (DOMAIN.md section 4) -------------------------------------------

    @CommandHandler
    public List<String> handle(StartAssurerChallengeCommand cmd, QuestionBank bank, java.security.SecureRandom random,
                               Clock clock) {
        requireUsable();
        List<String> drawn = bank.draw(random);
        apply(new AssurerChallengeStarted(memberId, cmd.attemptId(), drawn, clock.instant()));
        return drawn;
    }

    @CommandHandler
    public ChallengeGrade handle(SubmitAssurerChallengeCommand cmd, QuestionBank bank, Clock clock) {
        requireUsable();
        if (openAttempt == null || !openAttempt.equals(cmd.attemptId())) {
            throw new LedgerRefusal(RefusalCode.CHALLENGE_ATTEMPT_NOT_OPEN,
                    "This attempt is not open: it was answered already or replaced by a newer one. Start a new challenge.");
        }
        int total = openQuestions.size();
        int correct = bank.correct(openQuestions, cmd.answers() == null ? java.util.Map.of() : cmd.answers());
        int score = total == 0 ? 0 : (int) Math.floor(100.0 * correct / total);
        boolean passed = score >= PointsRules.CHALLENGE_PASS_MARK_PERCENT;
        Instant now = clock.instant();
        apply(new AssurerChallengeGraded(memberId, cmd.attemptId(), correct, total, score, passed, now));
        if (passed && !challengePassed) {
            apply(new AssurerChallengePassed(memberId, score, LocalDate.ofInstant(now, clock.getZone()),
                    "challenge " + cmd.attemptId(), now));
        }
        return new ChallengeGrade(cmd.attemptId(), correct, total, score, passed);
    }

    @EventSourcingHandler
    void on(AssurerChallengeStarted e) {
        openAttempt = e.attemptId();
        openQuestions = new ArrayList<>(e.questionIds());
    }

    @EventSourcingHandler
    void on(AssurerChallengeGraded e) {
        openAttempt = null;
        openQuestions = new ArrayList<>();
    }

    // ---- assurance: decided by AssuranceHandler, which holds both parties -------------------------

    /** The facts the points rules read, as of now. */
    MemberFacts facts() {
        List<Integer> awards = new ArrayList<>();
        received.values().stream().filter(r -> !r.voided()).forEach(r -> awards.add(r.points()));
        return new MemberFacts(dateOfBirth, awards, grantedAssurancePoints, grantedExperiencePoints,
                faceToFaceGiven.size(), challengePassed, blockedAsAssurer, parentalConsent,
                !verifiedEmails.isEmpty(), !verifiedDomains.isEmpty(), codeSigningEnabled);
    }

    /** Why this member may not act as assurer now, or null. */
    LedgerRefusal refusalAsAssurer(LocalDate today) {
        if (accountExpired || locked || deleted) {
            return new LedgerRefusal(RefusalCode.ASSURER_ACCOUNT_UNUSABLE,
                    "The assurer's account is expired, locked or deleted.");
        }
        PointsRules.AssurerGap gap = PointsRules.assurerGap(facts(), today);
        if (gap == null) {
            return null;
        }
        return switch (gap) {
            case AP_BELOW_100 -> new LedgerRefusal(RefusalCode.ASSURER_AP_BELOW_100,
                    "Only Assurers may assure: the assurer needs 100 assurance points.");
            case CHALLENGE_NOT_PASSED -> new LedgerRefusal(RefusalCode.ASSURER_CHALLENGE_NOT_PASSED,
                    "Only Assurers may assure: the assurer has not passed the Assurer Challenge.");
            case BLOCKED -> new LedgerRefusal(RefusalCode.ASSURER_BLOCKED,
                    "The assurer is blocked from assuring by an arbitration ruling.");
            case UNDER_14 -> new LedgerRefusal(RefusalCode.ASSURER_UNDER_14, "Assurers must be 14 or older.");
            case PARENTAL_CONSENT_MISSING -> new LedgerRefusal(RefusalCode.ASSURER_PARENTAL_CONSENT_MISSING,
                    "An assurer under 18 needs a recorded parental consent.");
        };
    }

    /** Why this member may not receive an assurance from the assurer now, or null. */
    LedgerRefusal refusalAsAssuree(String assurerId, String email, LocalDate claimedDateOfBirth) {
        if (accountExpired || deleted || !email.equals(primaryEmail) || !claimedDateOfBirth.equals(dateOfBirth)) {
            return notFound();
        }
        if (!verifiedEmails.contains(primaryEmail)) {
            return new LedgerRefusal(RefusalCode.ASSUREE_NOT_VERIFIED,
                    "The assuree has not verified their account yet.");
        }
        if (locked) {
            return new LedgerRefusal(RefusalCode.ASSUREE_LOCKED, "The assuree's account is locked.");
        }
        if (memberId.equals(assurerId)) {
            return new LedgerRefusal(RefusalCode.SELF_ASSURANCE, "Nobody may assure themselves.");
        }
        if (activeAssuranceByAssurer.containsKey(assurerId)) {
            return new LedgerRefusal(RefusalCode.ALREADY_ASSURED_BY_ASSURER,
                    "You have already assured this member; an assurer counts once per assuree.");
        }
        return null;
    }

    static LedgerRefusal notFound() {
        return new LedgerRefusal(RefusalCode.ASSUREE_NOT_FOUND,
                "No verified member matches this email address and date of birth.");
    }

    /** Applies the assurance to this (assuree's) stream and returns the event. */
    AssuranceRecorded receiveAssurance(RecordAssuranceCommand cmd, String assuranceId, Instant now) {
        int apBefore = PointsRules.assurancePoints(facts().countedAwards(), grantedAssurancePoints);
        AssuranceRecorded event = new AssuranceRecorded(assuranceId, memberId, cmd.assurerId(),
                AssuranceKind.FACE_TO_FACE, cmd.points(), PointsRules.countedPoints(cmd.points(), apBefore), cmd.date(),
                cmd.location().trim(), name.fullName(), List.copyOf(cmd.documents()),
                cmd.assureeAgreedToCommunityAgreement(), cmd.assurerSawOriginalDocuments(), now);
        apply(event);
        return event;
    }

    void noteAssuranceGiven(AssuranceRecorded recorded) {
        apply(new AssuranceGiven(recorded.assuranceId(), memberId, recorded.assureeId(), recorded.kind(),
                recorded.points(), recorded.date(), recorded.recordedAt()));
    }

    void recordRefusal(LedgerRefusal refusal, Instant now) {
        apply(new AssuranceRefused(memberId, refusal.code(), refusal.getMessage(), now));
    }

    // ---- TTP-assisted assurance and top-up: decided by TtpHandler ----------------------------------

    /** Why this member may not receive a TTP-assisted assurance from this TTP now, or null. */
    LedgerRefusal refusalForTtp(String ttpName) {
        if (PointsRules.assurancePoints(facts().countedAwards(), grantedAssurancePoints) >= PointsRules.MAX_ASSURANCE_POINTS) {
            return new LedgerRefusal(RefusalCode.ASSUREE_HAS_100_POINTS,
                    "A TTP-assisted assurance is possible only while the member has fewer than 100 assurance points.");
        }
        if (ttpAssurances.size() >= PointsRules.MAX_TTP_ASSURANCES) {
            return new LedgerRefusal(RefusalCode.TTP_LIMIT_REACHED,
                    "A member may have at most " + PointsRules.MAX_TTP_ASSURANCES + " TTP-assisted assurances.");
        }
        String normal = normaliseTtp(ttpName);
        if (ttpAssurances.values().stream().anyMatch(t -> t[0].equals(normal))) {
            return new LedgerRefusal(RefusalCode.TTP_NOT_DIFFERENT,
                    "The two TTP-assisted assurances must come from two different Trusted Third Parties.");
        }
        return null;
    }

    /** Why this member may not receive a top-up from this Senior Assurer now, or null. */
    LedgerRefusal refusalForTopUp(String seniorAssurerId) {
        if (topUpReceived) {
            return new LedgerRefusal(RefusalCode.TOP_UP_ALREADY_GIVEN, "A member receives at most one top-up assurance.");
        }
        if (ttpAssurances.size() < PointsRules.MAX_TTP_ASSURANCES || !challengePassed) {
            return new LedgerRefusal(RefusalCode.TOP_UP_NOT_ELIGIBLE,
                    "A top-up needs two TTP-assisted assurances and a passed Assurer Challenge.");
        }
        if (ttpAssurances.values().stream().anyMatch(t -> t[1].equals(seniorAssurerId))) {
            return new LedgerRefusal(RefusalCode.TOP_UP_NOT_INDEPENDENT,
                    "The top-up must come from a Senior Assurer independent of the TTP admins who recorded the TTP assurances.");
        }
        return null;
    }

    TtpAssuranceRecorded receiveTtp(String assuranceId, String recordedBy, AssuranceKind kind, int points,
                                    String ttpName, String ttpKind, String country, LocalDate date,
                                    List<String> documents, Instant now) {
        int apBefore = PointsRules.assurancePoints(facts().countedAwards(), grantedAssurancePoints);
        TtpAssuranceRecorded event = new TtpAssuranceRecorded(assuranceId, memberId, recordedBy, kind, points,
                PointsRules.countedPoints(points, apBefore), ttpName == null ? null
                        : new TrustedThirdParty(ttpName, ttpKind, country), date,
                documents == null ? null : List.copyOf(documents), now);
        apply(event);
        return event;
    }

    static String normaliseTtp(String name) {
        return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    // ---- roles and consent: decided by RoleHandler, which also holds the authorising member ----------

    CallerStanding callerStanding(LocalDate today) {
        return new CallerStanding(memberId, !locked && !deleted && !accountExpired, Set.copyOf(roles),
                standingOn(today).status());
    }

    public boolean hasRole(Role role) {
        return roles.contains(role) && !locked && !deleted;
    }

    public boolean isAssurerOn(LocalDate day) {
        return refusalAsAssurer(day) == null;
    }

    public Standing standingOn(LocalDate day) {
        return PointsRules.standing(facts(), day);
    }

    public void appointRole(Role role, String by, String reason, Instant now) {
        if (roles.contains(role)) {
            throw new LedgerRefusal(RefusalCode.ROLE_ALREADY_HELD, "The member already holds the role " + role + ".");
        }
        apply(new RoleAppointed(memberId, role, by, reason, now));
    }

    public void withdrawRole(Role role, String by, String reason, Instant now) {
        if (!roles.contains(role)) {
            throw new LedgerRefusal(RefusalCode.ROLE_NOT_HELD, "The member does not hold the role " + role + ".");
        }
        apply(new RoleWithdrawn(memberId, role, by, reason, now));
    }

    public void setCodeSigning(boolean enabled, String by, String reason, Instant now) {
        apply(new CodeSigningPermissionChanged(memberId, enabled, by, reason, now));
    }

    public void recordParentalConsent(String guardianName, String by, Instant now) {
        if (PointsRules.age(dateOfBirth, LocalDate.ofInstant(now, java.time.ZoneOffset.UTC)) >= PointsRules.ADULT_AGE) {
            throw new LedgerRefusal(RefusalCode.PARENTAL_CONSENT_NOT_NEEDED, "The member is 18 or older.");
        }
        apply(new ParentalConsentRecorded(memberId, guardianName, by, now));
    }

    // ---- ruling effects: decided by ArbitrationHandler, which holds the case --------------------

    /** Whether the assurance is active (received or given) in this member's history. */
    public boolean hasActiveAssurance(String assuranceId) {
        Received r = received.get(assuranceId);
        return (r != null && !r.voided()) || faceToFaceGiven.contains(assuranceId) || givenOther.contains(assuranceId);
    }

    public boolean hasAssurance(String assuranceId) {
        return received.containsKey(assuranceId) || faceToFaceGiven.contains(assuranceId)
                || givenOther.contains(assuranceId) || voidedGiven.contains(assuranceId);
    }

    public void voidAssurance(AssuranceVoided ruling) {
        apply(ruling);
    }

    public void adjustPoints(String caseId, int apDelta, int epDelta, String reason, Instant now) {
        apply(new PointsAdjusted(caseId, memberId, apDelta, epDelta, reason, now));
    }

    public void changeBlock(String caseId, boolean blocked, String reason, Instant now) {
        apply(new AssurerBlockChanged(caseId, memberId, blocked, reason, now));
    }

    public void lock(String caseId, String reason, Instant now) {
        apply(new AccountLocked(caseId, memberId, reason, now));
    }

    public void changeName(String caseId, PersonName newName, String reason, Instant now) {
        apply(new NameChanged(caseId, memberId, checkName(newName), reason, now));
    }

    public void changeDateOfBirth(String caseId, LocalDate dob, String reason, Clock clock) {
        apply(new DateOfBirthChanged(caseId, memberId, checkDateOfBirth(dob, clock), reason, clock.instant()));
    }

    /** Anonymises the account and frees its addresses and domains; returns the addresses. */
    public List<String> delete(String caseId, EmailRegistry registry, DomainRegistry domains, Instant now) {
        List<String> domainsHeld = List.copyOf(verifiedDomains);
        List<String> emails = new ArrayList<>(verifiedEmails);
        emails.addAll(pendingEmails.keySet());
        if (!emails.contains(primaryEmail)) {
            emails.add(primaryEmail);
        }
        apply(new AccountDeleted(caseId, memberId, List.copyOf(emails), now));
        emails.forEach(e -> registry.release(e, memberId));
        domainsHeld.forEach(d -> domains.release(d, memberId));
        return emails;
    }

    public void orderRevocation(String caseId, List<String> serials, String reason, Instant now) {
        apply(new CertificateRevocationOrdered(caseId, memberId, List.copyOf(serials), reason, now));
    }

    public boolean isDeleted() {
        return deleted;
    }

    // ---- event sourcing handlers: assignment only -------------------------------------------------

    @EventSourcingHandler
    void on(MemberRegistered e) {
        memberId = e.memberId();
        passphraseHash = e.passphraseHash();
        securityQuestions = new ArrayList<>(e.securityQuestions());
        name = e.name();
        dateOfBirth = e.dateOfBirth();
        primaryEmail = e.primaryEmail();
    }

    @EventSourcingHandler
    void on(EmailVerificationRequested e) {
        pendingEmails.put(e.email(), new Pending(e.nonce(), e.expiresAt()));
    }

    @EventSourcingHandler
    void on(EmailVerified e) {
        pendingEmails.remove(e.email());
        verifiedEmails.add(e.email());
    }

    @EventSourcingHandler
    void on(DomainControlRequested e) {
        pendingDomains.put(e.domain(), new Pending(e.nonce(), e.expiresAt()));
        pendingApprover.put(e.domain(), e.approverEmail());
    }

    @EventSourcingHandler
    void on(DomainVerified e) {
        pendingDomains.remove(e.domain());
        pendingApprover.remove(e.domain());
        verifiedDomains.add(e.domain());
    }

    @EventSourcingHandler
    void on(EmailVerificationExpired e) {
        pendingEmails.remove(e.email());
        if (e.accountExpired()) {
            accountExpired = true;
        }
    }

    @EventSourcingHandler
    void on(FoundingAssurerRecognised e) {
        grantedAssurancePoints = e.assurancePoints();
        grantedExperiencePoints = e.experiencePoints();
        challengePassed = e.challengePassed();
    }

    @EventSourcingHandler
    void on(AssurerChallengePassed e) {
        challengePassed = true;
    }

    @EventSourcingHandler
    void on(AssuranceRecorded e) {
        received.put(e.assuranceId(), new Received(e.assurerId(), e.kind(), e.points(), false));
        activeAssuranceByAssurer.put(e.assurerId(), e.assuranceId());
    }

    @EventSourcingHandler
    void on(AssuranceGiven e) {
        if (e.kind() == AssuranceKind.FACE_TO_FACE) {
            faceToFaceGiven.add(e.assuranceId());
        } else {
            givenOther.add(e.assuranceId());
        }
    }

    @EventSourcingHandler
    void on(TtpAssuranceRecorded e) {
        received.put(e.assuranceId(), new Received(e.recordedBy(), e.kind(), e.points(), false));
        if (e.kind() == AssuranceKind.TTP_ASSISTED) {
            ttpAssurances.put(e.assuranceId(), new String[] {normaliseTtp(e.ttp().name()), e.recordedBy()});
        } else {
            topUpReceived = true;
        }
    }

    @EventSourcingHandler
    void on(RoleAppointed e) {
        roles.add(e.role());
    }

    @EventSourcingHandler
    void on(RoleWithdrawn e) {
        roles.remove(e.role());
    }

    @EventSourcingHandler
    void on(CodeSigningPermissionChanged e) {
        codeSigningEnabled = e.enabled();
    }

    @EventSourcingHandler
    void on(ParentalConsentRecorded e) {
        parentalConsent = true;
    }

    /** The same event stands in both parties' streams; each side applies its half. */
    @EventSourcingHandler
    void on(AssuranceVoided e) {
        if (memberId.equals(e.assureeId())) {
            Received r = received.get(e.assuranceId());
            if (r != null) {
                received.put(e.assuranceId(), new Received(r.assurerId(), r.kind(), r.points(), true));
            }
            activeAssuranceByAssurer.remove(e.assurerId(), e.assuranceId());
            ttpAssurances.remove(e.assuranceId());
        }
        if (memberId.equals(e.assurerId())) {
            if (faceToFaceGiven.remove(e.assuranceId()) | givenOther.remove(e.assuranceId())) {
                voidedGiven.add(e.assuranceId());
            }
        }
    }

    @EventSourcingHandler
    void on(PointsAdjusted e) {
        grantedAssurancePoints += e.assurancePointsDelta();
        grantedExperiencePoints += e.experiencePointsDelta();
    }

    @EventSourcingHandler
    void on(AssurerBlockChanged e) {
        blockedAsAssurer = e.blocked();
    }

    @EventSourcingHandler
    void on(AccountLocked e) {
        locked = true;
    }

    @EventSourcingHandler
    void on(NameChanged e) {
        name = e.name();
    }

    @EventSourcingHandler
    void on(DateOfBirthChanged e) {
        dateOfBirth = e.dateOfBirth();
    }

    @EventSourcingHandler
    void on(AccountDeleted e) {
        deleted = true;
        locked = true;
        name = new PersonName(e.caseId(), null, e.caseId(), null);
        dateOfBirth = null;
        verifiedEmails.clear();
        pendingEmails.clear();
        verifiedDomains.clear();
        pendingDomains.clear();
        passphraseHash = null;
        securityQuestions = new ArrayList<>();
        primaryEmail = e.caseId();
    }

    // ---- checks --------------------------------------------------------------------------------

    private void requireUsable() {
        if (deleted) {
            throw new LedgerRefusal(RefusalCode.ACCOUNT_DELETED, "This account was deleted by an arbitration ruling.");
        }
        if (locked) {
            throw new LedgerRefusal(RefusalCode.ACCOUNT_LOCKED, "This account is locked by an arbitration ruling.");
        }
        if (accountExpired) {
            throw new LedgerRefusal(RefusalCode.ACCOUNT_EXPIRED,
                    "This account expired because its email address was not verified within 48 hours.");
        }
    }

    /** Takes the id as a parameter: in a creating handler the id field is set only once it returns. */
    private static void requestVerification(EmailRegistry registry, EmailTokens tokens, String memberId, String email,
                                            Instant now) {
        String nonce = tokens.newNonce();
        registry.rememberNonce(nonce, memberId, email);
        apply(new EmailVerificationRequested(memberId, email, nonce, now, now.plus(EmailRegistry.VERIFICATION_WINDOW)));
    }

    /** Claims the address; gives it back if the unit of work that wanted it rolls back. */
    private static void claim(EmailRegistry registry, String email, String memberId, Instant now) {
        registry.claim(email, memberId, now);
        CurrentUnitOfWork.ifStarted(uow -> uow.onRollback(u -> registry.release(email, memberId)));
    }

    static PersonName checkName(PersonName n) {
        if (n == null || blank(n.givenNames()) || blank(n.familyName())) {
            throw new LedgerRefusal(RefusalCode.NAME_REQUIRED, "Given name(s) and family name are required.");
        }
        for (String part : new String[] {n.givenNames(), n.middleName(), n.familyName(), n.suffix()}) {
            if (part != null && part.strip().length() > MAX_NAME_LENGTH) {
                throw new LedgerRefusal(RefusalCode.NAME_TOO_LONG,
                        "Each part of a name may have at most " + MAX_NAME_LENGTH + " characters.");
            }
            if (part != null && part.chars().anyMatch(Character::isISOControl)) {
                throw new LedgerRefusal(RefusalCode.NAME_REQUIRED, "Names may not contain control characters.");
            }
        }
        return new PersonName(n.givenNames().strip(), stripToNull(n.middleName()), n.familyName().strip(),
                stripToNull(n.suffix()));
    }

    static LocalDate checkDateOfBirth(LocalDate dob, Clock clock) {
        LocalDate today = LocalDate.now(clock);
        if (dob == null || dob.isAfter(today) || dob.isBefore(today.minusYears(150))) {
            throw new LedgerRefusal(RefusalCode.DATE_OF_BIRTH_INVALID,
                    "The date of birth must be a real date in the past (at most 150 years ago).");
        }
        return dob;
    }

    static String checkEmail(String raw) {
        String email = Emails.normalise(raw);
        if (!Emails.isValid(email)) {
            throw new LedgerRefusal(RefusalCode.EMAIL_INVALID, "This is not a valid email address.");
        }
        return email;
    }

    static void checkPassphrase(String passphrase) {
        if (passphrase == null || passphrase.codePointCount(0, passphrase.length()) < MIN_PASSPHRASE_LENGTH) {
            throw new LedgerRefusal(RefusalCode.PASSPHRASE_TOO_SHORT,
                    "A passphrase needs at least " + MIN_PASSPHRASE_LENGTH + " characters.");
        }
        if (passphrase.length() > MAX_PASSPHRASE_LENGTH) {
            throw new LedgerRefusal(RefusalCode.PASSPHRASE_TOO_LONG,
                    "A passphrase may have at most " + MAX_PASSPHRASE_LENGTH + " characters.");
        }
        if (CommonPassphrases.isCommon(passphrase)) {
            throw new LedgerRefusal(RefusalCode.PASSPHRASE_TOO_COMMON,
                    "This passphrase is on the list of common passphrases; choose one nobody would guess.");
        }
    }

    static List<SecurityQuestion> checkQuestions(List<SecurityQuestionAnswer> given, SecretHasher hasher) {
        if (given == null || given.size() != SECURITY_QUESTIONS) {
            throw new LedgerRefusal(RefusalCode.SECURITY_QUESTIONS_NOT_FIVE,
                    "Exactly " + SECURITY_QUESTIONS + " security questions with answers are required.");
        }
        Set<String> seen = new HashSet<>();
        for (SecurityQuestionAnswer qa : given) {
            if (qa == null || blank(qa.question()) || blank(qa.answer())
                    || qa.question().length() > MAX_QUESTION_LENGTH || qa.answer().length() > MAX_QUESTION_LENGTH) {
                throw new LedgerRefusal(RefusalCode.SECURITY_QUESTION_BLANK,
                        "Every security question and answer needs text (at most " + MAX_QUESTION_LENGTH + " characters).");
            }
            if (!seen.add(qa.question().strip().toLowerCase(Locale.ROOT))) {
                throw new LedgerRefusal(RefusalCode.SECURITY_QUESTIONS_NOT_DISTINCT,
                        "The five security questions must all be different.");
            }
        }
        return given.stream().map(qa -> new SecurityQuestion(qa.question().strip(), hasher.hashAnswer(qa.answer())))
                .toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String stripToNull(String s) {
        return blank(s) ? null : s.strip();
    }

    // ---- read access for handlers in this package ----------------------------------------------

    public String memberId() {
        return memberId;
    }

    LocalDate dateOfBirth() {
        return dateOfBirth;
    }
}
