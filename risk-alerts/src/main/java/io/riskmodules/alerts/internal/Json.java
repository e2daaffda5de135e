package io.riskmodules.alerts.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskmodules.alerts.Alert;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** JSON for the sinks, with Jackson's tree model. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static String write(Object tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** ISO-8601 in UTC with milliseconds, as the receivers expect: {@code 2026-12-01T09:00:00.000Z}. */
  public static String time(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  /** The alert as the generic webhook writes it. */
  public static ObjectNode alert(Alert a) {
    ObjectNode n = object();
    n.put("key", a.key());
    n.put("kind", a.kind().name().toLowerCase(java.util.Locale.ROOT));
    n.put("alertname", a.kind().alertName());
    n.put("status", a.isFiring() ? "firing" : "resolved");
    n.put("severity", a.severity().value());
    n.put("source", a.source());
    n.put("title", a.title());
    n.put("details", a.details());
    n.put("startsAt", time(a.startsAt()));
    if (a.endsAt() != null) {
      n.put("endsAt", time(a.endsAt()));
    }
    ObjectNode labels = n.putObject("labels");
    a.labels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> labels.put(e.getKey(), e.getValue()));
    return n;
  }
}
