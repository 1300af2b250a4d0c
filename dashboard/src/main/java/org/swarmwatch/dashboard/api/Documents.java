package org.swarmwatch.dashboard.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Elasticsearch documents (read with the client's Jackson 2) turned into plain maps, which the
 * web layer (Jackson 3) writes as they are.
 */
final class Documents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Documents() {
    }

    static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, MAP);
    }
}
