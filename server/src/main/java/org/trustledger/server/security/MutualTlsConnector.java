package org.trustledger.server.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.Pkcs12KeyHome;

/**
 * The mutual-TLS port for client-certificate login: TLS with a server certificate the Class 1 root
 * issues to this server at start-up (for the configured host names), and client certificates
 * required and checked against the Class 1 and Class 3 CAs. {@link ClientCertificateLogin} then maps
 * the certificate to its member.
 */
public final class MutualTlsConnector {

    private MutualTlsConnector() {
    }

    public static Connector create(int port, List<String> hostNames, CaHierarchy cas, Clock clock) {
        try {
            char[] password = new char[0];
            KeyPair pair = Pkcs12KeyHome.generate("EC-P256");
            X509Certificate serverCert = serverCertificate(pair, hostNames, cas, clock.instant());
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", pair.getPrivate(), password,
                    new Certificate[] {serverCert, cas.certificate(CaId.CLASS1)});
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("class1", cas.certificate(CaId.CLASS1));
            trust.setCertificateEntry("class3", cas.certificate(CaId.CLASS3));

            Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            connector.setPort(port);
            connector.setScheme("https");
            connector.setSecure(true);
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig ssl = new SSLHostConfig();
            ssl.setCertificateVerification("required");
            ssl.setTrustStore(trust);
            ssl.setProtocols("TLSv1.2+TLSv1.3");
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.EC);
            certificate.setCertificateKeystore(keyStore);
            certificate.setCertificateKeyAlias("server");
            certificate.setCertificateKeystorePassword("");
            ssl.addCertificate(certificate);
            connector.addSslHostConfig(ssl);
            return connector;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot set up the mutual-TLS port " + port + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate serverCertificate(KeyPair pair, List<String> hostNames, CaHierarchy cas,
                                                     Instant now) throws Exception {
        X509Certificate issuer = cas.certificate(CaId.CLASS1);
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostNames) {
            names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, host));
        }
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(127, new SecureRandom()).setBit(126), Date.from(now.minus(Duration.ofMinutes(1))),
                Date.from(now.plus(Duration.ofDays(90))), new X500Name("CN=" + hostNames.get(0)), pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
        return new JcaX509CertificateConverter().getCertificate(b.build(cas.signer(CaId.CLASS1).contentSigner("SHA384")));
    }

    private static boolean isAddress(String host) {
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
