package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.swarmwatch.dashboard.security.UsersConfigurationException;

/** No built-in users: without a users file the dashboard starts only in the demo profile, with random passwords. */
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
        }
    }
}
