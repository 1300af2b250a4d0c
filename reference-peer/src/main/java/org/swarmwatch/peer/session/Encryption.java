package org.swarmwatch.peer.session;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.swarmwatch.peer.mse.MseHandshake;

/**
 * When a connection uses Message Stream Encryption (MSE/PE, see {@link MseHandshake}) and which
 * payload method it selects there. The four policies mirror what real clients offer (libtorrent's
 * {@code enc_policy}, aria2's {@code --bt-require-crypto}), from the most open to the strictest.
 * A policy that "prefers" one handshake dials with it first and, if the peer closes the connection
 * before the handshake is done, dials once more with the other.
 */
public enum Encryption {
    /** BEP 3 handshakes only, both ways; an MSE handshake is refused. */
    PLAINTEXT("plaintext"),
    /**
     * The default: accepts both handshakes; dials in plaintext and retries with MSE (offering
     * plaintext and RC4) when refused; as the receiving side of MSE it selects plaintext when the
     * peer offers it (the handshake hidden, the payload not), RC4 when that is all the peer allows.
     */
    PREFER_PLAINTEXT("prefer-plaintext"),
    /** Accepts both handshakes; dials with MSE offering RC4 and plaintext, retries in plaintext when refused; selects RC4. */
    PREFER_ENCRYPTED("prefer-encrypted"),
    /** MSE with RC4 only, both ways: a plaintext handshake, or an MSE peer offering only plaintext, is refused. */
    REQUIRE_ENCRYPTED("require-encrypted");

    private final String cliName;

    Encryption(String cliName) {
        this.cliName = cliName;
    }

    /** The name the command line uses ({@code prefer-plaintext}, ...). */
    public String cliName() {
        return cliName;
    }

    /** By command-line name or constant name, any case. */
    public static Encryption parse(String name) {
        for (Encryption e : values()) {
            if (e.cliName.equalsIgnoreCase(name) || e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("encryption must be one of "
                + Arrays.stream(values()).map(Encryption::cliName).collect(Collectors.joining(", ")) + ", not " + name);
    }

    boolean acceptsPlainHandshake() {
        return this != REQUIRE_ENCRYPTED;
    }

    boolean acceptsMse() {
        return this != PLAINTEXT;
    }

    /** Whether the first outgoing attempt opens with MSE. */
    boolean dialsMseFirst() {
        return this == PREFER_ENCRYPTED || this == REQUIRE_ENCRYPTED;
    }

    /** Whether a refused first attempt is tried again with the other handshake. */
    boolean fallsBack() {
        return this == PREFER_PLAINTEXT || this == PREFER_ENCRYPTED;
    }

    /** crypto_provide when dialling, and the methods accepted when selecting. */
    int methods() {
        return this == REQUIRE_ENCRYPTED ? MseHandshake.RC4 : MseHandshake.PLAINTEXT | MseHandshake.RC4;
    }

    boolean selectsPlaintext() {
        return this == PREFER_PLAINTEXT;
    }
}
