package dev.fhirguard.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The canonical form of status URLs: one job, however its URL is spelled. */
class StatusUrlsTest {

  private static final String JOB = "/fhir/$export-poll-status?_jobId=1";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "_jobId=1",
      "_jobId=%31",
      "_job%49d=1",
      "_jobId=1&_format=json",
      "_format=application/fhir%2Bjson&_jobId=1&_pretty=true",
      "&_jobId=1&",
      "_jobId=1&_format",
  })
  void spellings_of_one_query_are_one_status_url(String query) {
    assertEquals(JOB, StatusUrls.canonical("/fhir/$export-poll-status", query));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "_jobId=2", "_jobId=1&x=1", "_jobId=1&_jobId=1", "_jobid=1", "_jobId=1%20", "_jobId=%E2%82"})
  void another_job_or_more_parameters_are_another_status_url(String query) {
    assertNotEquals(JOB, StatusUrls.canonical("/fhir/$export-poll-status", query));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "b=2&a=1 | a=1&b=2",
      "a=1+2 | a=1%202",
      "a=%26&b | b=&a=%26",
      "_format=xml | ''",
  })
  void parameters_are_compared_decoded_and_in_any_order(String one, String other) {
    assertEquals(StatusUrls.canonical("/s", other), StatusUrls.canonical("/s", one));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/fhir/%24export | /fhir/$export",
      "/caf%C3%A9 | /café",
      "/100% | /100%",
      "/a%2 | /a%2",
      "/a+b | /a+b",
  })
  void a_path_is_decoded_as_utf8_and_a_broken_escape_is_kept(String raw, String decoded) {
    assertEquals(decoded, StatusUrls.decode(raw, false));
  }
}
