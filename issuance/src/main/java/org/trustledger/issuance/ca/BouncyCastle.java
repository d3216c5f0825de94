package org.trustledger.issuance.ca;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider that issuance signs and checks signatures with. Building a
 * BouncyCastleProvider takes 5 to 8 ms, so it is built once; and checks go through it rather than the
 * JDK's default providers, whose pure-Java ECDSA verification took a sixth of the server's CPU per
 * issued certificate (bench profile, IssuanceDesk's check of the CA's own signature).
 */
public final class BouncyCastle {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
