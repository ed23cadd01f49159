package dev.mmo.vs.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * Reads admin request bodies strictly: an unknown field (a typo such as {@code allowedSoftwares})
 * or anything after the document is refused instead of silently ignored. Only the admin resources
 * use it; the application's shared ObjectMapper stays as it is.
 */
public final class StrictJson implements BiFunction<ObjectMapper, Type, ObjectReader> {
  @Override
  public ObjectReader apply(ObjectMapper mapper, Type type) {
    return mapper
        .readerFor(mapper.constructType(type))
        .with(
            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }
}
