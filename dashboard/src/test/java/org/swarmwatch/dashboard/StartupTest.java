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
    private static SpringApplicationBuilder app(String... properties) {
        return new SpringApplicationBuilder(DashboardApplication.class).properties("server.port=0", "server.address=127.0.0.1",
                "swarmwatch.elasticsearch.url=http://127.0.0.1:9", "spring.main.banner-mode=off").properties(properties);
    }

    @Test
    void refusesToStartWithoutUsers(CapturedOutput output) {
        Throwable e = assertThrows(Exception.class, () -> app().run().close());
        while (e != null && !(e instanceof UsersConfigurationException)) {
            e = e.getCause();
        }
        assertTrue(e != null && e.getMessage().contains("No users are configured"), String.valueOf(e));
        assertTrue(output.toString().contains("APPLICATION FAILED TO START") && output.toString().contains("'demo' profile"),
                "Spring Boot's short report, with what to do");
    }

    @Test
    void demoProfileMakesOneUserPerRoleWithAPrintedPassword(CapturedOutput output) {
        try (ConfigurableApplicationContext context = app().profiles("demo").run()) {
            Matcher m = Pattern.compile("(?m)^  operator +(\\S+)  \\(OPERATOR\\)$").matcher(output.toString());
            assertTrue(m.find(), output.toString());
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            ApiClient api = new ApiClient(port);
            assertEquals(403, api.get("/api/incidents", "operator", m.group(1)).statusCode(), "signed in, and refused evidence");
            assertEquals(401, api.get("/api/incidents", "operator", "operator-password").statusCode());
            assertEquals(1, Pattern.compile(Pattern.quote(m.group(1))).matcher(output.toString()).results().count(), "printed once");
        }
    }
}
