package org.swarmwatch.dashboard.elastic;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code swarmwatch.elasticsearch.*}: the cluster the classifier writes to. Credentials are either
 * a user and password (the password from a file, or from {@code password} for an environment
 * variable), or an API key from a file; none for a cluster without security.
 *
 * @param url {@code http(s)://host:port}
 * @param username the user, with {@code passwordFile} or {@code password}
 * @param password the password itself (prefer {@code passwordFile})
 * @param passwordFile a file holding the password
 * @param apiKeyFile a file holding an API key (the base64 {@code id:key} form)
 * @param indexPrefix the classifier's {@code --es-index-prefix}
 */
@ConfigurationProperties("swarmwatch.elasticsearch")
public record ElasticsearchProperties(@DefaultValue("http://127.0.0.1:9200") URI url, String username, String password, Path passwordFile,
        Path apiKeyFile, @DefaultValue("swarmwatch-") String indexPrefix) {

    /** The index names (classifier.md, "What it reads and writes"). */
    public String incidents() {
        return indexPrefix + "incidents";
    }

    public String lists() {
        return indexPrefix + "lists";
    }

    /** The dashboard's own append-only audit log (docs/dashboard.md, "Audit"). */
    public String audit() {
        return indexPrefix + "audit";
    }

    public String flows() {
        return indexPrefix + "flows-*";
    }

    public String observations() {
        return indexPrefix + "observations-*";
    }

    public String stats() {
        return indexPrefix + "stats-*";
    }
}
