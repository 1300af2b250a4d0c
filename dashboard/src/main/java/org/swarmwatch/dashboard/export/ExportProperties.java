package org.swarmwatch.dashboard.export;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code swarmwatch.exports.*} (docs/dashboard.md, "Exports").
 *
 * @param signingKeyFile the Ed25519 private key (PKCS#8 PEM) that signs every export; without it
 *     (and outside the {@code demo} profile, which makes one) exports are refused
 * @param maxRows the most incidents one export holds; a filter matching more is refused
 * @param maxConcurrent how many exports may be made at once; more are refused (503) until one ends
 */
@ConfigurationProperties("swarmwatch.exports")
public record ExportProperties(Path signingKeyFile, @DefaultValue("10000") int maxRows, @DefaultValue("2") int maxConcurrent) {
    public ExportProperties {
        if (maxRows < 1 || maxRows > 1_000_000) {
            throw new IllegalArgumentException("swarmwatch.exports.max-rows must be between 1 and 1000000, not " + maxRows);
        }
        if (maxConcurrent < 1 || maxConcurrent > 64) {
            throw new IllegalArgumentException("swarmwatch.exports.max-concurrent must be between 1 and 64, not " + maxConcurrent);
        }
    }
}
