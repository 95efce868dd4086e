package dev.fhirguard.internal.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FormatNegotiatorTest {

  @ParameterizedTest(name = "?{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "_format=json                                | JSON",
      "_format=xml                                 | XML",
      "_format=XML                                 | XML",
      "_format=application/fhir+json               | JSON",
      "_format=application/fhir+xml                | XML",
      "_format=application%2Ffhir%2Bjson           | JSON",
      "_format=application%2Ffhir%2Bxml            | XML",
      "_format=application%2ffhir%2bxml            | XML",
      "_format=application/json                    | JSON",
      "_format=application/xml                     | XML",
      "_format=application/fhir%20xml              | XML",
      "_format=application/fhir+xml;charset=utf-8  | XML",
      "_count=5&_format=xml&name=x                 | XML",
      "_format=html&_format=xml                    | XML",
      "_format=foo&_format=json                    | JSON",
      "_format=json&_format=xml                    | JSON",
  })
  void the_format_parameter_is_decoded_and_honoured(String query, Format expected) {
    assertEquals(expected, FormatNegotiator.fromQuery(query));
    assertEquals(expected, FormatNegotiator.negotiate(query, acceptFor(other(expected)), null),
        "_format must beat Accept");
  }

  @ParameterizedTest(name = "?{0} -> none")
  @ValueSource(strings = {
      "_format=foo", "_format=html", "_format=text/html", "_format=", "_format=%zz",
      "format=xml", "x_format=xml", "name=_format=xml", "_formats=xml", "_FORMAT=xml"})
  void an_unknown_or_absent_format_parameter_is_skipped(String query) {
    assertNull(FormatNegotiator.fromQuery(query));
    assertEquals(Format.XML, FormatNegotiator.negotiate(query, "application/fhir+xml", null),
        "falls through to Accept");
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "application/fhir+xml                                           | XML",
      "application/fhir+json                                          | JSON",
      "application/fhir+xml;q=0.9, application/fhir+json;q=0.1        | XML",
      "application/fhir+json;q=0.1, application/fhir+xml;q=0.9        | XML",
      "application/fhir+json;q=0.9, application/fhir+xml;q=0.1        | JSON",
      "application/fhir+json;q=0.5, application/fhir+xml              | XML",
      "application/fhir+xml ; q=0.8 , application/fhir+json ; q=0.7   | XML",
      "application/fhir+xml;Q=0.8, application/fhir+json;q=0.7        | XML",
      "application/fhir+xml;charset=utf-8;q=0.3, application/fhir+json;q=0.2 | XML",
      "text/html, application/xhtml+xml, application/fhir+xml;q=0.9   | XML",
      "text/html;q=1.0, application/json;q=0.5                        | JSON",
      "APPLICATION/FHIR+XML                                           | XML",
      "application/xml+fhir                                           | XML",
      "text/xml                                                       | XML",
      "application/json                                               | JSON",
  })
  void accept_is_ranked_by_quality(String accept, Format expected) {
    assertEquals(expected, FormatNegotiator.fromAccept(accept));
    assertEquals(expected, FormatNegotiator.negotiate(null, accept, acceptFor(other(expected))),
        "Accept must beat Content-Type");
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "application/fhir+json, application/fhir+xml                | JSON",
      "application/fhir+xml, application/fhir+json                | XML",
      "application/fhir+xml;q=0.5, application/fhir+json;q=0.50   | XML",
      "application/fhir+json;q=0.5, application/fhir+xml;q=0.500  | JSON",
  })
  void on_equal_quality_the_first_listed_format_wins(String accept, Format expected) {
    assertEquals(expected, FormatNegotiator.fromAccept(accept));
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "application/fhir+xml;q=abc, application/fhir+json;q=0.1     | JSON",
      "application/fhir+xml;q=, application/fhir+json;q=0.1        | JSON",
      "application/fhir+xml;q=2, application/fhir+json;q=0.1       | JSON",
      "application/fhir+xml;q=-1, application/fhir+json;q=0.1      | JSON",
      "application/fhir+xml;q=NaN, application/fhir+json;q=0.1     | JSON",
      "application/fhir+xml;q=0, application/fhir+json;q=0.001     | JSON",
      "application/fhir+json;q=0.1, application/fhir+xml;q=1.5     | JSON",
  })
  void a_malformed_or_zero_quality_never_wins(String accept, Format expected) {
    assertEquals(expected, FormatNegotiator.fromAccept(accept));
  }

  @ParameterizedTest(name = "Accept: {0}")
  @ValueSource(strings = {
      "text/html", "image/png", "*/*", "application/*", "text/html, image/png;q=0.5",
      "application/fhir+xml;q=0", "application/fhir+xml;q=abc", ";;;,,,", "q=1"})
  void an_accept_header_without_a_servable_format_leaves_the_choice_to_the_content_type(
      String accept) {
    assertNull(FormatNegotiator.fromAccept(accept));
    assertEquals(Format.JSON, FormatNegotiator.negotiate(null, accept, null));
    assertEquals(Format.XML, FormatNegotiator.negotiate(null, accept, "application/fhir+xml"));
  }

  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  @ParameterizedTest
  void a_missing_accept_header_is_no_preference(String accept) {
    assertNull(FormatNegotiator.fromAccept(accept));
  }

  @Test
  void an_accept_header_longer_than_4096_characters_is_ignored() {
    String padding = ", text/plain;q=0.1".repeat(300);
    String huge = "application/fhir+xml" + padding;
    String justFits = ("application/fhir+xml" + padding).substring(0, 4096);
    assertEquals(4096, justFits.length());
    assertEquals(Format.XML, FormatNegotiator.fromAccept(justFits));
    String tooLong = justFits + "1";
    assertEquals(4097, tooLong.length());
    assertNull(FormatNegotiator.fromAccept(tooLong));
    assertNull(FormatNegotiator.fromAccept(huge));
    assertEquals(Format.JSON, FormatNegotiator.negotiate(null, huge, null));
  }

  @ParameterizedTest(name = "query={0} accept={1} content-type={2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "-                | -                     | -                                 | JSON",
      "-                | -                     | application/fhir+xml              | XML",
      "-                | -                     | application/xml;charset=UTF-8     | XML",
      "-                | -                     | application/x-www-form-urlencoded | JSON",
      "-                | application/fhir+json | application/fhir+xml              | JSON",
      "-                | text/html             | application/fhir+xml              | XML",
      "_format=json     | application/fhir+xml  | application/fhir+xml              | JSON",
      "_format=xml      | application/fhir+json | application/fhir+json             | XML",
      "_format=foo      | application/fhir+xml  | application/fhir+json             | XML",
      "_format=foo      | text/html             | application/fhir+xml              | XML",
      "_format=foo      | image/png             | -                                 | JSON",
  })
  void format_parameter_then_accept_then_content_type_then_json(
      String query, String accept, String contentType, Format expected) {
    assertEquals(expected, FormatNegotiator.negotiate(query, accept, contentType));
  }

  @Test
  void the_response_content_types_are_the_fhir_media_types_with_utf_8() {
    assertEquals("application/fhir+json;charset=UTF-8", Format.JSON.contentType());
    assertEquals("application/fhir+xml;charset=UTF-8", Format.XML.contentType());
  }

  private static Format other(Format format) {
    return format == Format.XML ? Format.JSON : Format.XML;
  }

  private static String acceptFor(Format format) {
    return format == Format.XML ? "application/fhir+xml" : "application/fhir+json";
  }
}
