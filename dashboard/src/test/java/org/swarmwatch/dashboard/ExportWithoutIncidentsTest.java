package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Before the classifier made any incident index (here: another index prefix on the same engine),
 * an export is an empty signed file, not an error, and the first one creates the audit index.
 */
@TestPropertySource(properties = "swarmwatch.elasticsearch.index-prefix=fresh-")
class ExportWithoutIncidentsTest extends DashboardTest {

    @Test
    void anExportWithoutAnIncidentIndexIsEmptyAndAudited() {
        assertEquals(0, api().json("/api/admin/audit", "admin").path("total").asLong(), "no audit index yet");
        HttpResponse<String> r = api().get("/api/incidents/export?format=csv", "compliance");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("0", r.headers().firstValue("X-Swarmwatch-Export-Rows").orElseThrow());
        assertTrue(r.body().startsWith("id,last_seen,") && r.body().split("\r\n").length == 1, r.body());
        String id = r.headers().firstValue("X-Swarmwatch-Export-Id").orElseThrow();
        assertEquals(id, api().json("/api/admin/audit?action=incidents.export", "admin").path("events").get(0).path("id").asText());
        assertEquals(200, api().get("/api/incidents/export/" + id + "/signature", "compliance").statusCode());
    }
}
