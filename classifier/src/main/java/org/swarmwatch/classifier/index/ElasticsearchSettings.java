package org.swarmwatch.classifier.index;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the classifier writes to Elasticsearch.
 *
 * @param url           the cluster's HTTP(S) URL, e.g. {@code https://es.example.net:9200}
 * @param username      basic-auth user, or null
 * @param password      basic-auth password, or null (never logged)
 * @param apiKey        an encoded API key ({@code Authorization: ApiKey ...}), or null
 * @param caCertificate a PEM CA certificate to trust for TLS (else the JVM's trust store), or null
 * @param indexPrefix   prefix of every index and template name ({@code swarmwatch-})
 * @param retentionDays daily flow, observation and stats indices older than this are deleted whole
 * @param replicas      replicas of the indices the templates make (1 on a cluster; 0 on a single node)
 */
public record ElasticsearchSettings(URI url, String username, String password, String apiKey, Path caCertificate, String indexPrefix,
        int retentionDays, int replicas) {
    public static final String DEFAULT_PREFIX = "swarmwatch-";
    public static final int DEFAULT_RETENTION_DAYS = 180;

    public ElasticsearchSettings {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("Elasticsearch URL must be http:// or https://: " + url);
        }
        if (!indexPrefix.matches("[a-z0-9][a-z0-9_.-]{0,40}")) {
            throw new IllegalArgumentException("index prefix must be lowercase letters, digits, '-', '_' or '.': " + indexPrefix);
        }
        if (retentionDays < 1 || retentionDays > 36_500) {
            throw new IllegalArgumentException("retention must be 1 to 36500 days: " + retentionDays);
        }
        if (replicas < 0 || replicas > 10) {
            throw new IllegalArgumentException("replicas must be 0 to 10: " + replicas);
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("Elasticsearch user and password go together");
        }
    }

    public static ElasticsearchSettings of(URI url) {
        return new ElasticsearchSettings(url, null, null, null, null, DEFAULT_PREFIX, DEFAULT_RETENTION_DAYS, 1);
    }

    public ElasticsearchSettings withPrefix(String prefix) {
        return new ElasticsearchSettings(url, username, password, apiKey, caCertificate, prefix, retentionDays, replicas);
    }

    public ElasticsearchSettings withReplicas(int n) {
        return new ElasticsearchSettings(url, username, password, apiKey, caCertificate, indexPrefix, retentionDays, n);
    }

    public ElasticsearchSettings withRetentionDays(int days) {
        return new ElasticsearchSettings(url, username, password, apiKey, caCertificate, indexPrefix, days, replicas);
    }

    public ElasticsearchSettings withCredentials(String user, String secret, String key, Path ca) {
        return new ElasticsearchSettings(url, user, secret, key, ca, indexPrefix, retentionDays, replicas);
    }

    @Override
    public String toString() { // no secrets in logs
        return "Elasticsearch " + url + (username != null ? " as " + username : apiKey != null ? " with an API key" : "");
    }
}
