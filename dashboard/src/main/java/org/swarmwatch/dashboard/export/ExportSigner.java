package org.swarmwatch.dashboard.export;

import java.util.Optional;
import org.swarmwatch.events.signature.SigningKey;

/** The key that signs exports, if one is configured; without it every export is refused. */
public final class ExportSigner {
    static final String NO_KEY = "exports are disabled: no signing key is configured (swarmwatch.exports.signing-key-file, an Ed25519 "
            + "private key in PKCS#8 PEM: openssl genpkey -algorithm ed25519 -out export-signing.pem); an unsigned export is never made";

    private final SigningKey key;

    private ExportSigner(SigningKey key) {
        this.key = key;
    }

    static ExportSigner of(SigningKey key) {
        return new ExportSigner(key);
    }

    static ExportSigner disabled() {
        return new ExportSigner(null);
    }

    public Optional<SigningKey> key() {
        return Optional.ofNullable(key);
    }

    /** The key, or a 503 refusal saying how to configure one. */
    public SigningKey required() {
        if (key == null) {
            throw new ExportRefusedException(503, NO_KEY);
        }
        return key;
    }
}
