package org.trustledger.server.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trustledger.ledger.api.AssuranceGiven;
import org.trustledger.ledger.api.AssuranceKind;
import org.trustledger.ledger.api.AssuranceOutcome;
import org.trustledger.ledger.api.AssuranceRecorded;
import org.trustledger.ledger.api.AssurerChallengePassed;
import org.trustledger.ledger.api.AssignArbitratorCommand;
import org.trustledger.ledger.api.EmailVerified;
import org.trustledger.ledger.api.FileCaseCommand;
import org.trustledger.ledger.api.FoundingAssurerRecognised;
import org.trustledger.ledger.api.MemberRegistered;
import org.trustledger.ledger.api.PersonName;
import org.trustledger.ledger.api.RecordTtpAssuranceCommand;
import org.trustledger.ledger.api.Role;
import org.trustledger.ledger.api.RoleAppointed;
import org.trustledger.ledger.api.Ruling;
import org.trustledger.ledger.api.RulingCommand;
import org.trustledger.ledger.member.AssuranceRegistry;
import org.trustledger.ledger.member.EmailRegistry;
import org.trustledger.ledger.member.SecretHasher;
import org.trustledger.ledger.rules.PointsRules;

/**
 * A realistic web of trust of a given size, the same for the same seed: regional clusters of very
 * different sizes, assurer activity following a power law (a few assurers make thousands of
 * assurances, most make a handful), members stopping at every stage (unassured, 50, 100, Assurer),
 * TTP-assisted assurances in the sparse regions, and some assurances voided by arbitration. Used by the
 * benchmarks (a ledger of a million events) and as demo data for the dashboards and the graph page.
 *
 * <p>How: the TTP assurances and voidings go through the real command handlers, after everything
 * else; the bulk (founding assurers as roots of each region, registrations, face-to-face assurances,
 * challenge passes) is written straight to the event store in batches of about a thousand events, with
 * the command side's registries, in simulated time (two years from mid-2023), by the same rules the
 * aggregates apply ({@link PointsRules}: the maximum award for the
 * assurer's experience at that moment, what counts below 100). Every generated member can log in with
 * {@link #PASSPHRASE}.
 */
@Component
public class WebOfTrustGenerator {

    private static final Logger log = LoggerFactory.getLogger(WebOfTrustGenerator.class);
    public static final String PASSPHRASE = "generated member passphrase";
    private static final String[][] REGIONS = {{"Amsterdam", "NL"}, {"Berlin", "DE"}, {"Sydney", "AU"},
            {"Vienna", "AT"}, {"Paris", "FR"}, {"Zurich", "CH"}, {"Melbourne", "AU"}, {"Munich", "DE"},
            {"Utrecht", "NL"}, {"Nairobi", "KE"}, {"Lima", "PE"}, {"Ulaanbaatar", "MN"}};
    /** The last regions have few members and no local assurers beyond their founder: TTP territory. */
    private static final int SPARSE = 3;
    private static final String[] GIVEN = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Niklaus",
            "Radia", "Ken", "Margaret", "Dennis", "Hedy", "John", "Sophie", "Tim", "Whitfield", "Shafi", "Leslie", "Ivan"};
    private static final String[] FAMILY = {"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen",
            "Wirth", "Perlman", "Thompson", "Hamilton", "Ritchie", "Lamarr", "Backus", "Wilson", "Berners-Lee", "Diffie",
            "Goldwasser", "Lamport", "Sutherland"};
    private static final int[] AWARDS = {10, 15, 20, 25, 30, 35};
    private static final int BATCH = 1000;
    private static final Instant START = Instant.parse("2023-07-01T00:00:00Z");

    private final EventStore eventStore;
    private final CommandGateway commands;
    private final EmailRegistry emails;
    private final AssuranceRegistry assurances;
    private final SecretHasher hasher;

    public WebOfTrustGenerator(EventStore eventStore, CommandGateway commands, EmailRegistry emails,
                               AssuranceRegistry assurances, SecretHasher hasher) {
        this.eventStore = eventStore;
        this.commands = commands;
        this.emails = emails;
        this.assurances = assurances;
        this.hasher = hasher;
    }

    /** What was generated. */
    public record Summary(int members, int assurers, long faceToFace, int ttp, int voided, long events, Duration took) {
    }

    /** One generated member, as the generator tracks it (what its aggregate would know). */
    private static final class Person {
        final String id;
        final String email;
        final PersonName name;
        final LocalDate dateOfBirth;
        final int region;
        long sequence = -1;
        int assurancePoints;
        final List<Integer> counted = new ArrayList<>();
        int given;
        int grantedExperience;
        boolean assurer;
        final Set<String> assuredBy = new HashSet<>();

        Person(String id, String email, PersonName name, LocalDate dateOfBirth, int region) {
            this.id = id;
            this.email = email;
            this.name = name;
            this.dateOfBirth = dateOfBirth;
            this.region = region;
        }

        int maxAward(LocalDate on) {
            int age = PointsRules.age(dateOfBirth, on);
            return PointsRules.maxAward(PointsRules.experiencePoints(given, grantedExperience, assurancePoints, age), age);
        }
    }

    /**
     * Generates {@code members} members and their web of trust into the ledger. Takes minutes for a
     * hundred thousand members; call it once per store.
     */
    public Summary generate(int members, long seed) {
        long started = System.nanoTime();
        Random random = new Random(seed);
        String tag = Long.toString(seed, 36);
        // Simulated time, the same for the same seed: the two years from START, one step per event.
        long expectedEvents = members * 10L;
        Duration step = Duration.ofMillis(Math.max(1, Duration.ofDays(730).toMillis() / Math.max(1, expectedEvents)));
        Instant[] clock = {START};
        String passphraseHash = hasher.hashPassphrase(PASSPHRASE);
        Batch batch = new Batch();

        // Roots: founding assurers, two per dense region, one per sparse region, recorded as the genesis
        // file records founders; the first is support, the second arbitrator, the third TTP admin.
        List<Person> people = new ArrayList<>();
        List<List<Integer>> tickets = new ArrayList<>(); // per region: one entry per unit of assurer activity
        for (int r = 0; r < REGIONS.length; r++) {
            tickets.add(new ArrayList<>());
        }
        List<Person> roots = new ArrayList<>();
        for (int r = 0; r < REGIONS.length; r++) {
            for (int k = 0; k < (r < REGIONS.length - SPARSE ? 2 : 1); k++) {
                Person root = person(random, tag, people.size(), r, "root");
                Instant at = clock[0] = clock[0].plus(step);
                batch.claims.add(new EmailRegistry.Claim(root.email, root.id, at, true));
                batch.event(root, new MemberRegistered(root.id, root.name, root.dateOfBirth, root.email, passphraseHash,
                        List.of(), at), at);
                batch.event(root, new EmailVerified(root.id, root.email, at), at);
                batch.event(root, new FoundingAssurerRecognised(root.id, PointsRules.MAX_ASSURANCE_POINTS,
                        PointsRules.MAX_EXPERIENCE_POINTS, true, "generated web of trust, seed " + seed, at), at);
                Role role = roots.size() == 0 ? Role.SUPPORT : roots.size() == 1 ? Role.ARBITRATOR
                        : roots.size() == 2 ? Role.TTP_ADMIN : null;
                if (role != null) {
                    batch.event(root, new RoleAppointed(root.id, role, "genesis", "founding member (generated)", at), at);
                }
                root.assurancePoints = PointsRules.MAX_ASSURANCE_POINTS;
                root.grantedExperience = PointsRules.MAX_EXPERIENCE_POINTS;
                root.assurer = true;
                roots.add(root);
                people.add(root);
                addTickets(tickets.get(r), people.size() - 1, random, 40);
            }
        }
        batch.flush();
        String support = roots.get(0).id;
        String arbitrator = roots.get(1).id;
        Person ttpAdmin = roots.get(2);

        double[] weights = new double[REGIONS.length];
        double total = 0;
        for (int r = 0; r < REGIONS.length; r++) {
            weights[r] = r < REGIONS.length - SPARSE ? 1.0 / (r + 1) : 0.004;
            total += weights[r];
        }
        long faceToFace = 0;
        int[] assurersIn = new int[REGIONS.length];
        List<Person> sparse = new ArrayList<>();
        List<String[]> voidable = new ArrayList<>();
        while (people.size() < members + roots.size()) {
            int region = pick(weights, total, random);
            Person p = person(random, tag, people.size(), region, "m");
            people.add(p);
            Instant at = clock[0] = clock[0].plus(step);
            batch.claims.add(new EmailRegistry.Claim(p.email, p.id, at, true));
            batch.event(p, new MemberRegistered(p.id, p.name, p.dateOfBirth, p.email, passphraseHash, List.of(), at), at);
            batch.event(p, new EmailVerified(p.id, p.email, at = clock[0] = clock[0].plus(step)), at);
            if (region >= REGIONS.length - SPARSE) {
                sparse.add(p);
            }
            // Early members of a region, while it has few Assurers, go all the way: they become its next Assurers.
            boolean early = assurersIn[region] < 12 && region < REGIONS.length - SPARSE;
            int wanted = early ? 6 : wantedAssurances(random);
            for (int a = 0; a < wanted && p.assurancePoints < 100; a++) {
                Person assurer = null;
                for (int attempt = 0; attempt < 8 && assurer == null; attempt++) {
                    List<Integer> pool = random.nextDouble() < (early ? 0.6 : 0.95) ? tickets.get(region)
                            : tickets.get(random.nextInt(REGIONS.length - SPARSE));
                    Person candidate = pool.isEmpty() ? null : people.get(pool.get(random.nextInt(pool.size())));
                    if (candidate != null && candidate != p && !p.assuredBy.contains(candidate.id)) {
                        assurer = candidate;
                    }
                }
                if (assurer == null) {
                    continue;
                }
                p.assuredBy.add(assurer.id);
                at = clock[0] = clock[0].plus(step);
                LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
                int points = Math.min(assurer.maxAward(day), AWARDS[random.nextInt(AWARDS.length)]);
                int counted = PointsRules.countedPoints(points, p.assurancePoints);
                String assuranceId = uuid(random);
                AssuranceRecorded recorded = new AssuranceRecorded(assuranceId, p.id, assurer.id, AssuranceKind.FACE_TO_FACE,
                        points, counted, day, REGIONS[region][0], p.name.fullName(), List.of("passport"), true, true, at);
                batch.event(p, recorded, at);
                batch.event(assurer, new AssuranceGiven(assuranceId, assurer.id, p.id, AssuranceKind.FACE_TO_FACE, points,
                        day, at), at);
                batch.parties.add(new AssuranceRegistry.Parties(assuranceId, p.id, assurer.id, AssuranceKind.FACE_TO_FACE));
                p.counted.add(counted);
                p.assurancePoints = PointsRules.assurancePoints(p.counted, 0);
                assurer.given++;
                faceToFace++;
                if (random.nextInt(200) == 0) {
                    voidable.add(new String[] {assuranceId, p.id, assurer.id});
                }
            }
            if (p.assurancePoints >= 100 && region < REGIONS.length - SPARSE && (early || random.nextInt(3) == 0)) {
                at = clock[0] = clock[0].plus(step);
                batch.event(p, new AssurerChallengePassed(p.id, 80 + random.nextInt(21), LocalDate.ofInstant(at, ZoneOffset.UTC),
                        support, at), at);
                p.assurer = true;
                addTickets(tickets.get(region), people.size() - 1, random, 2000);
                assurersIn[region]++;
            }
            batch.flushIfFull();
        }
        batch.flush();

        // The sparse regions: TTP-assisted assurances through the real command (two each, two TTPs).
        int ttp = 0;
        for (Person p : sparse.subList(0, Math.min(sparse.size(), 200))) {
            for (String notary : List.of("Notary " + FAMILY[random.nextInt(FAMILY.length)], "Bank officer "
                    + GIVEN[random.nextInt(GIVEN.length)])) {
                AssuranceOutcome out = commands.sendAndWait(new RecordTtpAssuranceCommand(uuid(random), ttpAdmin.id, p.email,
                        p.dateOfBirth, notary, notary.startsWith("Notary") ? "notary" : "bank officer",
                        REGIONS[p.region][1], LocalDate.now(ZoneOffset.UTC), List.of("passport"), 35));
                ttp += out.isRecorded() ? 1 : 0;
            }
        }
        // Some assurances voided by arbitration, each in its own case (real commands).
        int voided = 0;
        for (String[] v : voidable.subList(0, Math.min(voidable.size(), 100))) {
            if (v[1].equals(arbitrator) || v[2].equals(arbitrator) || v[1].equals(support) || v[2].equals(support)) {
                continue; // an arbitrator may not rule in a case of their own
            }
            String caseId = commands.sendAndWait(new FileCaseCommand(v[1], v[2], "the documents seen were not genuine", v[1]));
            commands.sendAndWait(new AssignArbitratorCommand(caseId, arbitrator, support));
            commands.sendAndWait(new RulingCommand(caseId, arbitrator, new Ruling.VoidAssurance(v[0], "forged documents")));
            voided++;
        }
        int assurerCount = (int) people.stream().filter(x -> x.assurer).count();
        Summary summary = new Summary(people.size(), assurerCount, faceToFace, ttp, voided, batch.events,
                Duration.ofNanos(System.nanoTime() - started));
        log.info("Generated a web of trust (seed {}): {}", seed, summary);
        return summary;
    }

    /** Events, registry entries and who is in them, written together. */
    private final class Batch {
        final List<EventMessage<?>> messages = new ArrayList<>();
        final List<EmailRegistry.Claim> claims = new ArrayList<>();
        final List<AssuranceRegistry.Parties> parties = new ArrayList<>();
        long events;

        void event(Person p, Object payload, Instant at) {
            messages.add(new GenericDomainEventMessage<>("Member", p.id, ++p.sequence, payload, MetaData.emptyInstance(),
                    UUID.nameUUIDFromBytes((p.id + "/" + p.sequence).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toString(), at));
        }

        void flushIfFull() {
            if (messages.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            emails.claimVerified(claims);
            assurances.recordAll(parties);
            if (!messages.isEmpty()) {
                eventStore.publish(messages);
            }
            events += messages.size();
            messages.clear();
            claims.clear();
            parties.clear();
        }
    }

    private static Person person(Random random, String tag, int index, int region, String kind) {
        PersonName name = new PersonName(GIVEN[random.nextInt(GIVEN.length)], null, FAMILY[random.nextInt(FAMILY.length)], null);
        LocalDate dob = LocalDate.of(1950 + random.nextInt(55), 1 + random.nextInt(12), 1 + random.nextInt(28));
        return new Person(uuid(random), kind + index + "." + tag + "@" + REGIONS[region][0].toLowerCase() + ".example",
                name, dob, region);
    }

    /** How many assurances a member seeks: many stop early, a third reach 100 points. */
    private static int wantedAssurances(Random random) {
        double x = random.nextDouble();
        return x < 0.15 ? 0 : x < 0.35 ? 1 : x < 0.6 ? 2 : x < 0.8 ? 3 : x < 0.92 ? 4 : 5 + random.nextInt(4);
    }

    /** Power-law activity: Pareto tickets, capped; a few assurers get thousands. */
    private static void addTickets(List<Integer> pool, int index, Random random, int cap) {
        int n = (int) Math.min(cap, Math.ceil(Math.pow(1 - random.nextDouble(), -1 / 1.16)));
        for (int i = 0; i < n; i++) {
            pool.add(index);
        }
    }

    private static int pick(double[] weights, double total, Random random) {
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
