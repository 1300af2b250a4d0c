package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI description is served, to anyone, and lists every route of the dashboard's own
 * controllers under /api with its methods: taken from Spring MVC's mappings, so that a new
 * endpoint cannot be left out.
 */
class OpenApiTest extends DashboardTest {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theDescriptionListsEveryApiRouteWithItsMethods() {
        HttpResponse<String> r = api().get("/api/openapi", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = ApiClient.parse(r.body());
        assertTrue(doc.path("openapi").asText().startsWith("3."), r.body());
        JsonNode paths = doc.path("paths");
        List<String> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, org.springframework.web.method.HandlerMethod method) -> {
            if (!method.getBeanType().getPackageName().startsWith("org.swarmwatch.dashboard")) {
                return;
            }
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/")) {
                    continue;
                }
                for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                    routes.add(m + " " + path);
                    assertTrue(paths.path(path).has(m.name().toLowerCase(Locale.ROOT)),
                            m + " " + path + " (" + method.getShortLogMessage() + ") is not in the OpenAPI description: " + paths.fieldNames().next());
                    JsonNode operation = paths.path(path).path(m.name().toLowerCase(Locale.ROOT));
                    assertFalse(operation.path("summary").asText().isBlank(), m + " " + path + " has no summary: add it to OpenApiConfiguration.OPERATIONS");
                    assertTrue(operation.path("description").asText().startsWith("Roles: "), m + " " + path + ": " + operation);
                }
            }
        });
        assertTrue(routes.size() >= 11, "the API's routes were found: " + routes);
        assertTrue(routes.contains("GET /api/incidents/{id}") && routes.contains("POST /api/admin/tokens"), routes.toString());
        paths.fieldNames().forEachRemaining(p -> assertTrue(p.startsWith("/api/"), "only the API is described: " + p));
    }

    @Test
    void theDescriptionNamesBothWaysOfSigningInAndTheParameters() {
        JsonNode doc = ApiClient.parse(api().get("/api/openapi", null).body());
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertEquals("basic", schemes.path("basic").path("scheme").asText());
        assertEquals("bearer", schemes.path("token").path("scheme").asText());
        List<String> parameters = new ArrayList<>();
        doc.path("paths").path("/api/incidents").path("get").path("parameters").forEach(p -> parameters.add(p.path("name").asText()));
        assertTrue(parameters.containsAll(List.of("from", "to", "rightsHolder", "title", "hash", "subscriber", "severity", "minConfidence",
                "page", "size")), parameters.toString());
        List<String> tokenParameters = new ArrayList<>();
        doc.path("paths").path("/api/admin/tokens").path("post").path("parameters").forEach(p -> tokenParameters.add(p.path("name").asText()));
        assertEquals(List.of("username", "label", "expiresInDays"), tokenParameters, "the signed-in administrator is no parameter");
    }

    @Test
    void theDescriptionIsAlsoServedAsYaml() {
        HttpResponse<String> r = api().get("/api/openapi.yaml", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("openapi: 3."), r.body().substring(0, Math.min(200, r.body().length())));
        assertTrue(r.body().contains("/api/incidents/{id}:"));
        assertFalse(r.body().contains("password-hash"));
    }
}
