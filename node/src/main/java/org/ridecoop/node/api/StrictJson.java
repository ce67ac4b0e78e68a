package org.ridecoop.node.api;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request body into a record, refusing anything not exactly as declared: malformed JSON,
 * unknown fields, missing fields (unless {@link OptionalField}), explicit nulls, duplicate keys,
 * wrong types (no "12" for 12, no 1.5 for an integer, no 12 for a string). Each refusal is an
 * {@link ApiError} 400 naming the field, e.g. {@code unknown_field: unknown field 'colour'}.
 *
 * <pre>{@code
 * record QuoteRequest(long pickupCell, long dropoffCell) {}
 * router.post("/v1/quotes").handler(ctx -> {
 *   QuoteRequest q = StrictJson.read(ctx, QuoteRequest.class);
 *   ...
 * });
 * }</pre>
 */
public final class StrictJson {

  private static final ObjectMapper MAPPER = mapper();
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private StrictJson() {}

  /**
   * Reads the routing context's body (the router's body handler must have run).
   *
   * @throws ApiError 415 if the body is not declared as JSON, 400 if it is not exactly a {@code type}
   */
  public static <T> T read(RoutingContext ctx, Class<T> type) {
    String contentType = ctx.request().getHeader("content-type");
    if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiError(415, "unsupported_media_type",
          "the request body must be application/json, got " + contentType);
    }
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiError.badRequest("malformed_json", "the request body is empty; expected a JSON object");
    }
    return read(body.getBytes(), type);
  }

  /**
   * Reads JSON bytes into {@code type}.
   *
   * @throws ApiError 400 if the bytes are not exactly a {@code type}
   */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (UnrecognizedPropertyException e) {
      throw ApiError.badRequest("unknown_field", "unknown field '" + path(e) + "'");
    } catch (InvalidNullException e) {
      throw ApiError.badRequest("missing_field", "field '" + path(e) + "' must not be null");
    } catch (InputCoercionException e) {
      throw ApiError.badRequest("invalid_value", "field '" + currentName(e) + "': " + e.getOriginalMessage());
    } catch (StreamReadException e) {
      throw ApiError.badRequest("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage()
          + location(e.getLocation()));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw ApiError.badRequest("invalid_value", cause.getMessage());
    } catch (MismatchedInputException e) {
      throw mismatch(e);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof InputCoercionException c) { // databind wraps it with the field's path
        throw ApiError.badRequest("invalid_value", "field '" + path(e) + "': " + c.getOriginalMessage());
      }
      throw ApiError.badRequest("bad_request", e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("malformed_json", "the request body cannot be read: " + e.getMessage());
    }
  }

  private static ApiError mismatch(MismatchedInputException e) {
    String message = e.getOriginalMessage();
    if (message.startsWith("Missing required creator property")) {
      // The path already ends with the missing property; the message names it too.
      String field = path(e);
      if (field.isEmpty()) {
        Matcher m = QUOTED.matcher(message);
        field = m.find() ? m.group(1) : "?";
      }
      return ApiError.badRequest("missing_field", "field '" + field + "' is required");
    }
    if (message.startsWith("Trailing token")) {
      return ApiError.badRequest("malformed_json", "the request body has content after the JSON value");
    }
    String path = path(e);
    String expected = describe(e.getTargetType());
    if (path.isEmpty()) {
      return ApiError.badRequest("wrong_type", "the request body must be " + expected);
    }
    return ApiError.badRequest("wrong_type", "field '" + path + "' must be " + expected);
  }

  /** The dotted path of the field the exception is about, e.g. {@code route.points[2].lat}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String currentName(JsonProcessingException e) {
    try {
      if (e.getProcessor() instanceof JsonParser p && p.currentName() != null) {
        return p.currentName();
      }
    } catch (IOException ignored) {
      // fall through to the generic name
    }
    return "?";
  }

  private static String location(JsonLocation at) {
    return at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == int.class || type == long.class || type == short.class || type == Integer.class
        || type == Long.class || type == Short.class || type == BigInteger.class) {
      return "an integer";
    }
    if (type == double.class || type == float.class || type == Double.class || type == Float.class
        || type == BigDecimal.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a JSON object";
    }
    return "of type " + type.getSimpleName();
  }

  private static ObjectMapper mapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .annotationIntrospector(new RequiredUnlessOptional())
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL))
        .build();
    // Scalars are never converted into strings, nor strings/floats/booleans into numbers and so on.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  /** Every creator (record) parameter is required unless marked {@link OptionalField}. */
  private static final class RequiredUnlessOptional extends JacksonAnnotationIntrospector {
    // An optional field may also be given as null; a required one never.
    @Override
    public JsonSetter.Value findSetterInfo(com.fasterxml.jackson.databind.introspect.Annotated a) {
      if (a.hasAnnotation(OptionalField.class)) {
        return JsonSetter.Value.forValueNulls(Nulls.SET);
      }
      return super.findSetterInfo(a);
    }

    @Override
    public Boolean hasRequiredMarker(AnnotatedMember m) {
      if (m.hasAnnotation(OptionalField.class)) {
        return Boolean.FALSE;
      }
      if (m instanceof AnnotatedParameter) {
        return Boolean.TRUE;
      }
      return super.hasRequiredMarker(m);
    }
  }
}
