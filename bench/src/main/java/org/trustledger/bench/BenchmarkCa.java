package org.trustledger.bench;

import java.net.URI;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.trustledger.issuance.api.CaId;
import org.trustledger.issuance.ca.CaHierarchy;
import org.trustledger.issuance.ca.CaSettings;
import org.trustledger.issuance.ca.KeyHome;
import org.trustledger.issuance.ca.Pkcs12KeyHome;
import org.trustledger.issuance.ca.SoftwareSigner;
import org.trustledger.issuance.ca.Signer;

/**
 * The project's CA hierarchy ({@link CaHierarchy#loadOrCreate}) with every key in memory, so that the
 * benchmarks sign through the same {@link Signer}s, CA certificates and status locations as the server,
 * without a key store file, a Spring context or a database. {@link CaSettings} offers only EC-P384 and
 * RSA-4096 for a new CA; the key home here makes every key with the algorithm the benchmark asks for
 * (EC-P256 or RSA-2048), through the project's own generator, whatever the settings name.
 */
final class BenchmarkCa {

    /** The CA that signs members' certificates when they name no root (IssuanceDesk's default). */
    static final CaId ISSUER = CaId.CLASS1;

    /**
     * Unregistered, handed to each builder, as issuance does ({@link SoftwareSigner}, RequestKey): the
     * JVM's provider list stays as it is.
     */
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private BenchmarkCa() {
    }

    /** A fresh Class 1 root, Class 3 intermediate and their OCSP responders, all keys {@code keyAlgorithm}. */
    static CaHierarchy hierarchy(String keyAlgorithm) {
        // No key directory or passphrase: the keys never leave this JVM.
        CaSettings settings = new CaSettings(null, null, null, "trust-ledger bench", URI.create("https://ca.example.org"));
        return CaHierarchy.loadOrCreate(new InMemoryKeyHome(keyAlgorithm), settings, Clock.systemUTC());
    }

    /** Checks signatures made in a set-up, so that no benchmark measures a path that signs wrongly. */
    static ContentVerifierProvider verifier(PublicKey key) {
        try {
            return new JcaContentVerifierProviderBuilder().setProvider(PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot verify with the " + key.getAlgorithm() + " key", e);
        }
    }

    /** Keys of one algorithm, kept in a map for the life of the benchmark. */
    private static final class InMemoryKeyHome implements KeyHome {

        private final String keyAlgorithm;
        private final Map<String, Signer> signers = new HashMap<>();

        InMemoryKeyHome(String keyAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
        }

        @Override
        public Optional<Signer> load(String alias) {
            return Optional.ofNullable(signers.get(alias));
        }

        @Override
        public Signer create(String alias, String ignoredSettingsAlgorithm,
                             BiFunction<PublicKey, ContentSigner, X509Certificate> certify) {
            KeyPair pair = Pkcs12KeyHome.generate(keyAlgorithm);
            ContentSigner self;
            try {
                // SHA-384, as Pkcs12KeyHome signs a root in the making.
                self = new JcaContentSignerBuilder(Signer.signatureAlgorithm(pair.getPrivate().getAlgorithm(), "SHA384"))
                        .setProvider(PROVIDER).build(pair.getPrivate());
            } catch (OperatorCreationException e) {
                throw new IllegalStateException("Cannot sign with the new " + keyAlgorithm + " key", e);
            }
            Signer signer = new SoftwareSigner(pair.getPrivate(), certify.apply(pair.getPublic(), self));
            signers.put(alias, signer);
            return signer;
        }
    }
}
