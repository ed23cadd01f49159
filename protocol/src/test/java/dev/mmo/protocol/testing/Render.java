package dev.mmo.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.world.Bounds;
import dev.mmo.protocol.world.Vec2;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/**
 * Renders decoded records as JSON for the vector files' {@code fields}, under the field names of
 * docs/protocol.md: byte strings and fixed-size byte types as lowercase hex, gs_id as a string,
 * numbers as numbers, moves and positions as {@code <name>_x}/{@code <name>_y} (a position's as
 * {@code x}/{@code y}), bounds flattened into the rules, absent optionals as null.
 */
public final class Render {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Render() {}

  public static JsonNode of(Object value) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof Bytes b) {
      return JSON.textNode(b.hex());
    }
    if (value instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (value instanceof Integer i) {
      return JSON.numberNode(i);
    }
    if (value instanceof String s) {
      return JSON.textNode(s);
    }
    if (value instanceof Enum<?> e) {
      return JSON.textNode(e.name());
    }
    if (value instanceof EcdsaP256PublicKey k) {
      return JSON.textNode(k.uncompressedPoint().hex());
    }
    if (value instanceof Optional<?> o) {
      return o.isPresent() ? of(o.get()) : JSON.nullNode();
    }
    if (value instanceof List<?> list) {
      ArrayNode array = JSON.arrayNode();
      list.forEach(item -> array.add(of(item)));
      return array;
    }
    if (value instanceof Record r) {
      RecordComponent[] components = r.getClass().getRecordComponents();
      // Fixed-size byte types (Hash, SessionId, keys, signatures) and GsId are one component.
      if (components.length == 1
          && (components[0].getType() == Bytes.class || components[0].getType() == String.class)) {
        return of(read(components[0], r));
      }
      ObjectNode object = JSON.objectNode();
      for (RecordComponent c : components) {
        put(object, snake(c.getName()), read(c, r));
      }
      return object;
    }
    throw new IllegalArgumentException("cannot render " + value.getClass());
  }

  /** Adds a field under the names of docs/protocol.md: vectors and bounds are flattened. */
  private static void put(ObjectNode object, String name, Object value) {
    if (value instanceof Vec2 v) {
      String prefix = name.equals("position") ? "" : name + "_";
      object.put(prefix + "x", v.x());
      object.put(prefix + "y", v.y());
    } else if (value instanceof Bounds b) {
      object.put("min_x", b.minX());
      object.put("min_y", b.minY());
      object.put("max_x", b.maxX());
      object.put("max_y", b.maxY());
    } else {
      object.set(name, of(value));
    }
  }

  private static Object read(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code notBeforeMs} becomes {@code not_before_ms}, the field names of docs/protocol.md. */
  static String snake(String camel) {
    StringBuilder out = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        out.append('_').append(Character.toLowerCase(ch));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
