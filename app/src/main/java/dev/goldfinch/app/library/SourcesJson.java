package dev.goldfinch.app.library;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** An answer's sources as the JSON of {@code messages.sources}. */
public final class SourcesJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SourcesJson() {
    }

    /** null for no sources (the column stays empty). */
    public static String write(List<Source> sources) {
        if (sources == null || sources.isEmpty()) return null;
        try {
            return MAPPER.writeValueAsString(sources);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sources of a stored message; nothing for an empty or unreadable column. */
    public static List<Source> read(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return MAPPER.readValue(json, new TypeReference<List<Source>>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
