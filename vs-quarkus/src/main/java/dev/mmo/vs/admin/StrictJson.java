package dev.mmo.vs.admin;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * Reads admin request bodies strictly: an unknown field (a typo such as {@code allowedSoftwares}),
 * a field named twice (which of the two would count?), a scalar of the wrong JSON type ({@code
 * "id": 12} or {@code "reason": true}, which Jackson would turn into strings) or anything after the
 * document is refused instead of silently accepted. Only the admin resources use it; the
 * application's shared ObjectMapper stays as it is.
 */
public final class StrictJson implements BiFunction<ObjectMapper, Type, ObjectReader> {
  @Override
  public ObjectReader apply(ObjectMapper shared, Type type) {
    ObjectMapper mapper = withoutScalarCoercion(shared);
    return mapper
        .readerFor(mapper.constructType(type))
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .with(
            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * A copy of {@code shared} that refuses a number, a boolean or an empty string where another type
   * is declared. A field that takes any JSON value (a verify tip's {@code gsCounter}) still gets it
   * as written, and {@link AdminInput} checks it.
   */
  static ObjectMapper withoutScalarCoercion(ObjectMapper shared) {
    ObjectMapper mapper = shared.copy();
    mapper
        .coercionConfigDefaults()
        .setAcceptBlankAsEmpty(false)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }
}
