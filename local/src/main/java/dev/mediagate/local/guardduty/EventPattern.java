package dev.mediagate.local.guardduty;

import static dev.mediagate.local.sam.SamTemplate.list;
import static dev.mediagate.local.sam.SamTemplate.map;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * EventBridge's event patterns, the part the template's rules use (EventBridge User Guide, "Event patterns"): every
 * field of the pattern must match; a nested object matches the event's object field by field; an array lists the
 * values one of which the event's value must equal, or a {@code {"prefix": "…"}} it must start with. Any other
 * content filter is refused, so that a rule the local bus cannot judge is noticed instead of silently never matching.
 */
final class EventPattern {

    private EventPattern() {
    }

    static boolean matches(Map<String, Object> pattern, JsonNode event) {
        for (Map.Entry<String, Object> field : pattern.entrySet()) {
            JsonNode value = event.path(field.getKey());
            if (field.getValue() instanceof Map<?, ?> nested) {
                if (!value.isObject() || !matches(map(nested), value)) {
                    return false;
                }
            } else if (list(field.getValue()).stream().noneMatch(allowed -> matchesOne(allowed, value))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesOne(Object allowed, JsonNode value) {
        if (allowed instanceof Map<?, ?> filter) {
            if (filter.size() == 1 && filter.get("prefix") instanceof String prefix) {
                return value.isTextual() && value.asText().startsWith(prefix);
            }
            throw new IllegalArgumentException("the local event bus does not model the content filter " + filter);
        }
        if (allowed instanceof String text) {
            return value.isTextual() && value.asText().equals(text);
        }
        if (allowed instanceof Boolean bool) {
            return value.isBoolean() && value.asBoolean() == bool;
        }
        if (allowed instanceof Number number) {
            return value.isNumber() && value.decimalValue().compareTo(new java.math.BigDecimal(number.toString())) == 0;
        }
        return allowed == null && value.isNull();
    }
}
