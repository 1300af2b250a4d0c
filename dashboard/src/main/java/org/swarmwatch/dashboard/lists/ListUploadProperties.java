package org.swarmwatch.dashboard.lists;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code swarmwatch.dashboard.lists.*}: where an uploaded rights-holder list goes, and the checks
 * it must pass first, which are the classifier's own ({@code --lists}, {@code --trusted-keys},
 * {@code --unsigned-lists}; docs/rights-lists.md).
 *
 * @param directory the classifier's list directory (a volume both see); null: no upload
 * @param trustedKeys the classifier's trusted-keys directory (Ed25519 public keys in PEM)
 * @param unsigned accept lists without a signature, as the classifier's {@code --unsigned-lists} (a lab only)
 * @param maxUploadBytes the largest list file taken through the page (the classifier's own limit is 1 GiB)
 */
@ConfigurationProperties("swarmwatch.dashboard.lists")
public record ListUploadProperties(Path directory, Path trustedKeys, boolean unsigned, @DefaultValue("268435456") long maxUploadBytes) {
}
