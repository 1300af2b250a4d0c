package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** An export holds at most swarmwatch.exports.max-rows incidents (here 3 of the seeded 6); more is refused, with what to do. */
@TestPropertySource(properties = "swarmwatch.exports.max-rows=3")
class ExportLimitsTest extends DashboardTest {

    @Test
    void aFilterMatchingMoreThanTheLimitIsRefusedAndNothingIsAudited() {
        long audited = api().json("/api/admin/audit?action=incidents.export", "admin").path("total").asLong();
        for (String format : new String[] {"csv", "json", "pdf"}) {
            HttpResponse<String> r = api().get("/api/incidents/export?format=" + format, "compliance");
            assertEquals(400, r.statusCode(), r.body());
            JsonNode b = ApiClient.parse(r.body());
            assertEquals("the filter matches 6 incidents, more than the 3 an export may hold (swarmwatch.exports.max-rows): narrow the filter",
                    b.path("error").asText());
            assertTrue(r.headers().firstValue("X-Swarmwatch-Export-Id").isEmpty());
        }
        assertEquals(audited, api().json("/api/admin/audit?action=incidents.export", "admin").path("total").asLong(), "a refused export makes no record");
    }

    @Test
    void aFilterWithinTheLimitIsExported() {
        HttpResponse<String> r = api().get("/api/incidents/export?format=csv&severity=high", "compliance");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("X-Swarmwatch-Export-Rows").orElseThrow());
        HttpResponse<String> three = api().get("/api/incidents/export?format=csv&rightsHolder=Studio%20B&from="
                + seeded().lastSeen.minusSeconds(3 * 3600 + 60), "compliance");
        assertEquals(200, three.statusCode(), three.body());
        assertEquals("3", three.headers().firstValue("X-Swarmwatch-Export-Rows").orElseThrow(), "exactly the limit is allowed");
    }
}
