package org.swarmwatch.dashboard.export;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.swarmwatch.events.signature.SignatureFormatException;
import org.swarmwatch.events.signature.SigningKey;

/**
 * The export signing key: from {@code swarmwatch.exports.signing-key-file}; or, in the {@code demo}
 * profile only, a fresh key pair made at start whose public half is printed and written to a
 * temporary file (the private half stays in memory); otherwise none, and exports are refused.
 * There is no key in the code or the default configuration.
 */
@Configuration
class ExportConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ExportConfiguration.class);

    @Bean
    ExportSigner exportSigner(ExportProperties properties, Environment environment) {
        if (properties.signingKeyFile() != null) {
            try {
                SigningKey key = SigningKey.read(properties.signingKeyFile());
                LOG.info("exports are signed with Ed25519 key {}", key.verificationKey().fingerprint());
                return ExportSigner.of(key);
            } catch (IOException | SignatureFormatException e) {
                throw new IllegalStateException("swarmwatch.exports.signing-key-file: " + e.getMessage(), e);
            }
        }
        if (environment.acceptsProfiles(Profiles.of("demo"))) {
            return ExportSigner.of(demoKey(System.out));
        }
        LOG.warn(ExportSigner.NO_KEY);
        return ExportSigner.disabled();
    }

    static SigningKey demoKey(PrintStream out) {
        SigningKey key = SigningKey.generate();
        String pem = key.verificationKey().pem();
        String where;
        try {
            Path file = Files.createTempFile("swarmwatch-demo-export-key-", ".pub.pem");
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            file.toFile().deleteOnExit(); // the key dies with this process; so does the file naming it
            where = "written to " + file;
        } catch (IOException e) {
            where = "not written to a file (" + e.getMessage() + ")";
        }
        out.println("\nDemo export signing key (profile 'demo'): made now, in memory only; a restart makes a new one"
                + " (and the public key's file below is deleted when this process ends).\n"
                + "Its public key, for swarmwatch verify --key, " + where + ":\n" + pem
                + "fingerprint " + key.verificationKey().fingerprint() + "\n");
        out.flush();
        return key;
    }
}
