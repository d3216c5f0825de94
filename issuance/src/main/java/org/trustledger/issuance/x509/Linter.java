package org.trustledger.issuance.x509;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.trustledger.issuance.api.CertificateKind;
import org.trustledger.ledger.rules.Domains;

/**
 * Our own lint rules, run on every to-be-signed certificate: the RFC 5280 profile, names under the
 * member's verified domains and emails, the key policy, validity within the member's maximum and the
 * EKU of the kind. Nothing is signed unless every rule passes.
 */
public final class Linter {

    /** What the certificate is allowed to contain, from the member's rights at request time. */
    public record Context(CertificateKind kind, X500Name issuer, byte[] issuerKeyId, int maxValidityDays,
                          Set<String> verifiedEmails, Set<String> verifiedDomains, boolean wildcardAllowed,
                          boolean multipleNamesAllowed) {
    }

    private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption, X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);
    private static final Set<ASN1ObjectIdentifier> SUBJECT_ATTRIBUTES = Set.of(BCStyle.CN, BCStyle.O, BCStyle.OU,
            BCStyle.L, BCStyle.ST, BCStyle.C);

    private Linter() {
    }

    /** The problems found, each {@code rule: explanation}; empty when the certificate may be signed. */
    public static List<String> lint(X509CertificateHolder c, Context ctx) {
        List<String> problems = new ArrayList<>();
        Extensions ext = c.getExtensions();
        // RFC 5280 4.1: version, serial, signature algorithm, issuer, validity
        if (c.getVersionNumber() != 3) {
            problems.add("e_version: certificates with extensions must be version 3");
        }
        BigInteger serial = c.getSerialNumber();
        if (serial.signum() <= 0 || serial.toByteArray().length > 20) {
            problems.add("e_serial: the serial must be positive and at most 20 octets");
        }
        if (serial.bitLength() < 64) {
            problems.add("e_serial_entropy: the serial must carry at least 64 random bits");
        }
        if (!SIGNATURES.contains(c.getSignatureAlgorithm().getAlgorithm())) {
            problems.add("e_signature_algorithm: only RSA or ECDSA with SHA-256/384/512");
        }
        if (!c.getIssuer().equals(ctx.issuer())) {
            problems.add("e_issuer: the issuer name must be the issuing CA's subject");
        }
        Duration validity = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        if (!c.getNotAfter().after(c.getNotBefore())) {
            problems.add("e_validity: notAfter must be after notBefore");
        } else if (validity.compareTo(Duration.ofDays(ctx.maxValidityDays())) > 0) {
            problems.add("e_validity_too_long: valid " + validity.toDays() + " days, the member may have at most "
                    + ctx.maxValidityDays());
        }
        // key policy
        try {
            RequestKey.checked(c.getSubjectPublicKeyInfo());
        } catch (org.trustledger.issuance.api.IssuanceRefusal r) {
            problems.add("e_key_policy: " + r.getMessage());
        }
        if (ext == null) {
            problems.add("e_extensions: extensions are missing");
            return problems;
        }
        // RFC 5280 4.2: extensions of an end-entity certificate
        Extension bc = ext.getExtension(Extension.basicConstraints);
        if (bc == null || !bc.isCritical() || BasicConstraints.getInstance(bc.getParsedValue()).isCA()) {
            problems.add("e_basic_constraints: must be present, critical, cA false");
        }
        Extension ku = ext.getExtension(Extension.keyUsage);
        if (ku == null || !ku.isCritical()) {
            problems.add("e_key_usage: must be present and critical");
        } else {
            KeyUsage usage = KeyUsage.getInstance(ku.getParsedValue());
            if (usage.hasUsages(KeyUsage.keyCertSign) || usage.hasUsages(KeyUsage.cRLSign)) {
                problems.add("e_key_usage_ca: an end-entity certificate may not sign certificates or CRLs");
            }
            boolean rsa = c.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm()
                    .equals(PKCSObjectIdentifiers.rsaEncryption);
            if (!rsa && usage.hasUsages(KeyUsage.keyEncipherment)) {
                problems.add("e_key_usage_ec: an EC key cannot encipher keys");
            }
        }
        if (SubjectKeyIdentifier.fromExtensions(ext) == null) {
            problems.add("e_subject_key_identifier: missing");
        }
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(ext);
        if (aki == null || !Arrays.equals(aki.getKeyIdentifier(), ctx.issuerKeyId())) {
            problems.add("e_authority_key_identifier: must name the issuing CA's key");
        }
        if (ext.getExtension(Extension.cRLDistributionPoints) == null) {
            problems.add("e_crl_distribution_point: every certificate carries where its CRL is");
        }
        if (ext.getExtension(Extension.authorityInfoAccess) == null) {
            problems.add("e_authority_info_access: every certificate carries its OCSP location");
        }
        Set<KeyPurposeId> expected = Set.of(CertificateTemplate.extendedKeyUsage(ctx.kind()));
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(ext);
        if (eku == null || !Set.of(eku.getUsages()).equals(expected)) {
            problems.add("e_extended_key_usage: a " + ctx.kind() + " certificate has exactly " + expected);
        }
        problems.addAll(names(c.getSubject(), GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName), ctx));
        return problems;
    }

    private static List<String> names(X500Name subject, GeneralNames sans, Linter.Context ctx) {
        List<String> problems = new ArrayList<>();
        for (RDN rdn : subject.getRDNs()) {
            if (rdn.isMultiValued() || !SUBJECT_ATTRIBUTES.contains(rdn.getFirst().getType())) {
                problems.add("e_subject_attribute: only CN, O, OU, L, ST and C are written by this CA");
            }
            String value = rdn.getFirst().getValue().toString();
            if (value.isBlank() || value.length() > 64 || value.chars().anyMatch(Character::isISOControl)) {
                problems.add("e_subject_value: attribute values are 1 to 64 printable characters");
            }
        }
        if (subject.getRDNs(BCStyle.CN).length != 1) {
            problems.add("e_subject_common_name: exactly one CN");
        }
        if (sans == null || sans.getNames().length == 0) {
            problems.add("e_subject_alt_name: at least one subjectAltName");
            return problems;
        }
        boolean server = ctx.kind() == CertificateKind.SERVER || ctx.kind() == CertificateKind.ORGANISATION_SERVER;
        int dns = 0;
        for (GeneralName name : sans.getNames()) {
            String value = name.getName().toString();
            if (name.getTagNo() == GeneralName.dNSName) {
                dns++;
                if (!server) {
                    problems.add("e_san_type: only a server certificate names hosts");
                } else if (Domains.normaliseHost(value, true).filter(value::equals).isEmpty()) {
                    problems.add("e_dns_name: '" + value + "' is not a valid lower-case host name");
                } else if (value.startsWith("*.") && !ctx.wildcardAllowed()) {
                    problems.add("e_wildcard: wildcards only for Assured Members");
                } else if (Domains.coveringDomain(value, ctx.verifiedDomains()).isEmpty()) {
                    problems.add("e_dns_name_not_verified: '" + value + "' is not under a verified domain");
                }
            } else if (name.getTagNo() == GeneralName.rfc822Name) {
                if (server) {
                    problems.add("e_san_type: a server certificate names hosts only");
                } else if (!ctx.verifiedEmails().contains(value)) {
                    problems.add("e_email_not_verified: '" + value + "' is not a verified address of the member");
                }
            } else {
                problems.add("e_san_type: only dNSName and rfc822Name are issued");
            }
        }
        if (server && dns > 1 && !ctx.multipleNamesAllowed()) {
            problems.add("e_san_count: one host name only below Assured Member");
        }
        if (server) {
            String cn = subject.getRDNs(BCStyle.CN).length == 1
                    ? subject.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString() : "";
            boolean inSans = Arrays.stream(sans.getNames()).anyMatch(n -> n.getName().toString().equals(cn));
            if (!inSans) {
                problems.add("e_cn_not_in_san: a server certificate's CN must be one of its host names");
            }
        }
        return problems;
    }
}
