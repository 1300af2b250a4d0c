package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.swarmwatch.dashboard.security.UsersConfigurationException;
import org.swarmwatch.events.signature.SigningKey;

/**
 * No built-in users: without a users file the dashboard starts only in the demo profile, with random
 * passwords. No built-in export key either: without one exports are refused, and the demo profile
 * makes one at start.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupTest {
    /** The application with command-line arguments (which, unlike the builder's defaults, override application.properties). */
    private static ConfigurableApplicationContext run(String profile, String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--server.port=0", "--server.address=127.0.0.1",
                "--swarmwatch.elasticsearch.url=http://127.0.0.1:9", "--spring.main.banner-mode=off"));
        all.addAll(java.util.List.of(args));
        SpringApplicationBuilder b = new SpringApplicationBuilder(DashboardApplication.class);
        if (profile != null) {
            b.profiles(profile);
        }
        return b.run(all.toArray(String[]::new));
    }

    @Test
    void refusesToStartWithoutUsers(CapturedOutput output) {
        Throwable e = assertThrows(Exception.class, () -> run(null).close());
        while (e != null && !(e instanceof UsersConfigurationException)) {
            e = e.getCause();
        }
        assertTrue(e != null && e.getMessage().contains("No users are configured"), String.valueOf(e));
        assertTrue(output.toString().contains("APPLICATION FAILED TO START") && output.toString().contains("'demo' profile"),
                "Spring Boot's short report, with what to do");
    }

    @Test
    void demoProfileMakesOneUserPerRoleWithAPrintedPasswordAndMetricsCanBeOpened(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("demo", "--swarmwatch.dashboard.metrics-public=true")) {
            Matcher m = Pattern.compile("(?m)^  operator +(\\S+)  \\(OPERATOR\\)$").matcher(output.toString());
            assertTrue(m.find(), output.toString());
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            ApiClient api = new ApiClient(port);
            assertEquals(403, api.get("/api/incidents", "operator", m.group(1)).statusCode(), "signed in, and refused evidence");
            assertEquals(401, api.get("/api/incidents", "operator", "operator-password").statusCode());
            assertEquals(200, api.get("/actuator/prometheus", null).statusCode(), "metrics-public opens the metrics");
            assertEquals(401, api.get("/api/admin/users", null).statusCode(), "and nothing else");
            assertEquals(1, Pattern.compile(Pattern.quote(m.group(1))).matcher(output.toString()).results().count(), "printed once");

            // a demo export signing key, made at start: its public half printed and written to a file, the same the API serves
            Matcher key = Pattern.compile("written to (\\S+):\n(-----BEGIN PUBLIC KEY-----\n[^-]+-----END PUBLIC KEY-----\n)fingerprint ([0-9a-f]{64})")
                    .matcher(output.toString());
            assertTrue(key.find(), output.toString());
            Matcher compliance = Pattern.compile("(?m)^  compliance +(\\S+)  \\(COMPLIANCE\\)$").matcher(output.toString());
            assertTrue(compliance.find());
            java.net.http.HttpResponse<String> served = api.get("/api/incidents/export/public-key", "compliance", compliance.group(1));
            assertEquals(200, served.statusCode(), served.body());
            assertEquals(key.group(2), served.body());
            assertEquals(key.group(3), served.headers().firstValue("X-Swarmwatch-Key-Fingerprint").orElseThrow());
            try {
                assertEquals(key.group(2), Files.readString(Path.of(key.group(1))));
                Files.delete(Path.of(key.group(1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void withoutASigningKeyExportsAreRefusedWithWhatToDo(@TempDir Path dir) throws IOException {
        try (ConfigurableApplicationContext context = run(null, "--swarmwatch.dashboard.users-file=" + usersFile(dir))) {
            ApiClient api = new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
            for (String path : java.util.List.of("/api/incidents/export?format=pdf", "/api/incidents/export/public-key")) {
                java.net.http.HttpResponse<String> r = api.get(path, "compliance");
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains("exports are disabled: no signing key is configured (swarmwatch.exports.signing-key-file"), r.body());
            }
        }
    }

    @Test
    void aSigningKeyFileThatIsNoPrivateKeyStopsTheStart(@TempDir Path dir) throws IOException {
        Path pub = Files.writeString(dir.resolve("public.pem"), SigningKey.generate().verificationKey().pem());
        Throwable e = assertThrows(Exception.class, () -> run(null, "--swarmwatch.dashboard.users-file=" + usersFile(dir),
                "--swarmwatch.exports.signing-key-file=" + pub).close());
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + "\n";
        }
        assertTrue(messages.contains("swarmwatch.exports.signing-key-file: " + pub + ": a 'PUBLIC KEY' block, expected an Ed25519 private key"),
                messages);
    }

    private static Path usersFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("users.yaml"), "users:\n  - username: compliance\n    password-hash: \""
                + new BCryptPasswordEncoder(4).encode("compliance-password") + "\"\n    roles: [COMPLIANCE]\n");
    }
}
