package org.swarmwatch.dashboard.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Elasticsearch Java client, 8.19 (it talks to 8.x and 9.x servers; a 9.x client refuses
 * 8.x servers, INFRA-NOTES.md), with Jackson 2 for its JSON as the client expects. Nothing is
 * asked of the cluster at start: an unreachable cluster shows in health and in 502 answers.
 */
@Configuration
public class ElasticsearchConfiguration {

    @Bean(destroyMethod = "close")
    RestClient elasticsearchRestClient(ElasticsearchProperties p) {
        RestClientBuilder builder = RestClient.builder(HttpHost.create(p.url().toString()));
        if (p.apiKeyFile() != null) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + secret(p.apiKeyFile(), "api-key-file"))});
        } else if (p.username() != null) {
            String password = p.passwordFile() != null ? secret(p.passwordFile(), "password-file") : p.password();
            if (password == null) {
                throw new IllegalStateException("swarmwatch.elasticsearch.username is set without password-file or password");
            }
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(p.username(), password));
            builder.setHttpClientConfigCallback(c -> c.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }

    @Bean
    ElasticsearchClient elasticsearchClient(RestClient restClient) {
        return new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
    }

    private static String secret(Path file, String property) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("swarmwatch.elasticsearch." + property + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
