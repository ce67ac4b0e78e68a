package org.ridecoop.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  enum Kind { ECONOMY, COMFORT }

  record Point(double lat, double lng) {}

  record Quote(long pickupCell, String rider, boolean shared, BigInteger maxFare, Kind kind, List<Point> route,
      @OptionalField String note) {}

  static final String VALID = """
      {"pickupCell": 617700169958293503, "rider": "0xab", "shared": false, "maxFare": 25000000,
       "kind": "COMFORT", "route": [{"lat": 37.77, "lng": -122.41}]}""";

  static Quote read(String json) {
    return StrictJson.read(json.getBytes(StandardCharsets.UTF_8), Quote.class);
  }

  static ApiError refusal(String json) {
    ApiError e = catchThrowableOfType(ApiError.class, () -> read(json));
    assertThat(e).as("refused: " + json).isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e;
  }

  static String replace(String field, String value) {
    return VALID.replaceFirst("\"" + field + "\": [^,}\\]]+", "\"" + field + "\": " + value);
  }

  @Test
  void readsAnExactBody() {
    Quote q = read(VALID);

    assertThat(q.pickupCell()).isEqualTo(0x8928308280fffffL);
    assertThat(q.maxFare()).isEqualTo(BigInteger.valueOf(25_000_000));
    assertThat(q.kind()).isEqualTo(Kind.COMFORT);
    assertThat(q.route()).containsExactly(new Point(37.77, -122.41));
    assertThat(q.note()).isNull();
  }

  @Test
  void anOptionalFieldMayBeGivenOrNull() {
    assertThat(read(VALID.replace("}]}", "}], \"note\": \"hi\"}")).note()).isEqualTo("hi");
    assertThat(read(VALID.replace("}]}", "}], \"note\": null}")).note()).isNull();
  }

  @Test
  void refusesAStringForANumber() {
    ApiError e = refusal(replace("pickupCell", "\"12\""));
    assertThat(e.code()).isEqualTo("wrong_type");
    assertThat(e.reason()).isEqualTo("field 'pickupCell' must be an integer");
  }

  @Test
  void refusesAFractionForAnInteger() {
    assertThat(refusal(replace("pickupCell", "1.5")).reason()).isEqualTo("field 'pickupCell' must be an integer");
  }

  @Test
  void refusesANumberForAString() {
    assertThat(refusal(replace("rider", "12")).reason()).isEqualTo("field 'rider' must be a string");
  }

  @Test
  void refusesAStringForABoolean() {
    assertThat(refusal(replace("shared", "\"false\"")).reason()).isEqualTo("field 'shared' must be true or false");
  }

  @Test
  void refusesANumberForAnEnum() {
    assertThat(refusal(replace("kind", "1")).code()).isEqualTo("wrong_type");
  }

  @Test
  void refusesAnUnknownNestedFieldWithItsPath() {
    ApiError e = refusal(VALID.replace("\"lng\": -122.41", "\"lng\": -122.41, \"alt\": 3"));
    assertThat(e.code()).isEqualTo("unknown_field");
    assertThat(e.reason()).isEqualTo("unknown field 'route[0].alt'");
  }

  @Test
  void refusesAnExplicitNull() {
    ApiError e = refusal(replace("rider", "null"));
    assertThat(e.code()).isEqualTo("missing_field");
    assertThat(e.reason()).isEqualTo("field 'rider' must not be null");
  }

  @Test
  void refusesAMissingField() {
    ApiError e = refusal(VALID.replace("\"shared\": false, ", ""));
    assertThat(e.code()).isEqualTo("missing_field");
    assertThat(e.reason()).isEqualTo("field 'shared' is required");
  }

  @Test
  void refusesDuplicateKeys() {
    assertThat(refusal(VALID.replace("{\"pickupCell\": 617700169958293503,", "{\"pickupCell\": 1, \"pickupCell\": 2,"))
        .code()).isEqualTo("malformed_json");
  }

  @Test
  void refusesContentAfterTheObject() {
    assertThat(refusal(VALID + " {}").code()).isEqualTo("malformed_json");
  }

  @Test
  void refusesABodyThatIsNotAnObject() {
    ApiError e = refusal("[1, 2]");
    assertThat(e.code()).isEqualTo("wrong_type");
    assertThat(e.reason()).isEqualTo("the request body must be a JSON object");
  }

  @Test
  void refusesANumberTooLargeForItsField() {
    ApiError e = refusal(replace("pickupCell", "123456789012345678901234567890"));
    assertThat(e.code()).isEqualTo("invalid_value");
    assertThat(e.reason()).startsWith("field 'pickupCell': Numeric value (123456789012345678901234567890) out of range");
  }

  @Test
  void refusesMalformedJsonSayingWhere() {
    ApiError e = refusal("{\"pickupCell\": }");
    assertThat(e.code()).isEqualTo("malformed_json");
    assertThat(e.reason()).startsWith("the request body is not valid JSON: ").endsWith("(line 1, column 16)");
  }
}
