package org.trustledger.server.config;

import com.mongodb.client.MongoDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.trustledger.issuance.CertificateRegister;
import org.trustledger.ledger.member.CredentialsHandler;
import org.trustledger.ledger.member.DomainRegistry;
import org.trustledger.ledger.organisation.Organisation;
import org.trustledger.ledger.organisation.OrganisationHandler;
import org.trustledger.query.OrganisationProjection;
import org.trustledger.query.graph.Pseudonyms;
import org.trustledger.query.graph.TrustGraphReader;
import org.trustledger.ledger.member.DomainVerificationHandler;
import org.trustledger.ledger.arbitration.ArbitrationCase;
import org.trustledger.ledger.arbitration.ArbitrationHandler;
import org.trustledger.ledger.arbitration.CaseNumbers;
import org.trustledger.ledger.challenge.QuestionBank;
import org.trustledger.ledger.member.AssuranceHandler;
import org.trustledger.ledger.member.AssuranceRegistry;
import org.trustledger.ledger.roles.RoleHandler;
import org.trustledger.ledger.member.EmailRegistry;
import org.trustledger.ledger.member.EmailTokens;
import org.trustledger.ledger.member.EmailVerificationHandler;
import org.trustledger.ledger.member.Member;
import org.trustledger.ledger.member.SecretHasher;
import org.trustledger.ledger.member.TtpHandler;
import org.trustledger.query.CaseProjection;
import org.trustledger.query.MailOutbox;
import org.trustledger.query.MemberHistory;
import org.trustledger.query.TimelineProjection;
import org.trustledger.query.MemberProjection;
import org.trustledger.query.MemberReadModel;

/** The ledger's and the read side's plain classes, as beans (those modules know nothing of Spring). */
@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean
    QuestionBank questionBank() {
        return QuestionBank.shipped();
    }

    @Bean
    EmailRegistry emailRegistry(MongoDatabase db) {
        return new EmailRegistry(db);
    }

    @Bean
    EmailTokens emailTokens(MongoDatabase db, SecureRandom random) {
        return new EmailTokens(db, random);
    }

    @Bean
    SecretHasher secretHasher(TrustLedgerProperties props) {
        return new SecretHasher(props.passphraseHashCost());
    }

    @Bean
    EmailVerificationHandler emailVerificationHandler(@Qualifier("memberRepository") Repository<Member> members,
                                                      EmailRegistry registry, EmailTokens tokens, Clock clock) {
        return new EmailVerificationHandler(members, registry, tokens, clock);
    }

    @Bean
    CredentialsHandler credentialsHandler(@Qualifier("memberRepository") Repository<Member> members,
                                          EmailRegistry emails, SecretHasher hasher, SecureRandom random, Clock clock) {
        return new CredentialsHandler(members, emails, hasher, random, clock);
    }

    @Bean
    DomainRegistry domainRegistry(MongoDatabase db) {
        return new DomainRegistry(db);
    }

    @Bean
    DomainVerificationHandler domainVerificationHandler(@Qualifier("memberRepository") Repository<Member> members,
                                                        EmailRegistry emails, DomainRegistry domains,
                                                        EmailTokens tokens, Clock clock) {
        return new DomainVerificationHandler(members, emails, domains, tokens, clock);
    }

    @Bean
    OrganisationHandler organisationHandler(
            @Qualifier("organisationRepository") Repository<Organisation> organisations,
            @Qualifier("memberRepository") Repository<Member> members, EmailRegistry emails, DomainRegistry domains,
            EmailTokens tokens, Clock clock) {
        return new OrganisationHandler(organisations, members, emails, domains, tokens, clock);
    }

    @Bean
    OrganisationProjection organisationProjection(MongoDatabase db) {
        return new OrganisationProjection(db);
    }

    @Bean
    AssuranceRegistry assuranceRegistry(MongoDatabase db) {
        return new AssuranceRegistry(db);
    }

    @Bean
    AssuranceHandler assuranceHandler(@Qualifier("memberRepository") Repository<Member> members,
                                      EmailRegistry registry, AssuranceRegistry assurances, Clock clock) {
        return new AssuranceHandler(members, registry, assurances, clock);
    }

    @Bean
    TtpHandler ttpHandler(@Qualifier("memberRepository") Repository<Member> members, EmailRegistry emails,
                          AssuranceRegistry assurances, Clock clock) {
        return new TtpHandler(members, emails, assurances, clock);
    }

    @Bean
    RoleHandler roleHandler(@Qualifier("memberRepository") Repository<Member> members, Clock clock) {
        return new RoleHandler(members, clock);
    }

    @Bean
    CertificateRegister certificateRegister(MongoDatabase db) {
        return new CertificateRegister(db);
    }

    @Bean
    ArbitrationHandler arbitrationHandler(@Qualifier("arbitrationCaseRepository") Repository<ArbitrationCase> cases,
                                          @Qualifier("memberRepository") Repository<Member> members,
                                          MongoDatabase db, AssuranceRegistry assurances, EmailRegistry emails,
                                          DomainRegistry domains, CertificateRegister certificates, Clock clock) {
        return new ArbitrationHandler(cases, members, new CaseNumbers(db), assurances, emails, domains, certificates,
                clock);
    }

    @Bean
    MemberProjection memberProjection(MongoDatabase db) {
        return new MemberProjection(db);
    }

    @Bean
    CaseProjection caseProjection(MongoDatabase db) {
        return new CaseProjection(db);
    }

    @Bean
    TimelineProjection timelineProjection(MongoDatabase db) {
        return new TimelineProjection(db);
    }

    @Bean
    MemberHistory memberHistory(TimelineProjection timelines, MemberReadModel members, Clock clock) {
        return new MemberHistory(timelines, members, clock);
    }

    @Bean
    Pseudonyms pseudonyms(MongoDatabase db, SecureRandom random) {
        return new Pseudonyms(db, random);
    }

    @Bean
    TrustGraphReader trustGraphReader(MongoDatabase db, MemberReadModel members, MemberHistory history) {
        return new TrustGraphReader(db, members, history);
    }

    @Bean
    MailOutbox mailOutbox(MongoDatabase db, EmailTokens tokens, TrustLedgerProperties props) {
        return new MailOutbox(db, tokens, props.mail().support());
    }

    @Bean
    MemberReadModel memberReadModel(MongoDatabase db, Clock clock) {
        return new MemberReadModel(db, clock);
    }
}
