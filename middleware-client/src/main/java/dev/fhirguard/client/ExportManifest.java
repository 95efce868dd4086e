package dev.fhirguard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a completed Bulk Data export (the status URL's 200 answer): the files of
 * resources ({@code output}) and of OperationOutcomes ({@code error}).
 *
 * @param transactionTime the server's time of the export, as sent
 * @param request the kick-off URL, as sent
 * @param requiresAccessToken whether the files need the bearer token
 */
public record ExportManifest(String transactionTime, String request, boolean requiresAccessToken,
    List<File> output, List<File> error) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ExportManifest {
    output = List.copyOf(output);
    error = List.copyOf(error);
  }

  /**
   * One NDJSON file of the manifest.
   *
   * @param type the resource type of its lines
   * @param url where to download it
   * @param count its number of resources, when the server said ({@code null} otherwise)
   */
  public record File(String type, String url, Long count) {}

  /**
   * Parses a manifest.
   *
   * @throws IllegalArgumentException when {@code json} is not a manifest
   */
  public static ExportManifest parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("The export manifest is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("output").isArray()) {
      throw new IllegalArgumentException("The export manifest has no output array");
    }
    return new ExportManifest(root.path("transactionTime").asText(null),
        root.path("request").asText(null), root.path("requiresAccessToken").asBoolean(false),
        files(root.path("output")), files(root.path("error")));
  }

  private static List<File> files(JsonNode array) {
    List<File> files = new ArrayList<>();
    for (JsonNode file : array) {
      String url = file.path("url").asText(null);
      if (url != null) {
        JsonNode count = file.path("count");
        files.add(new File(file.path("type").asText(null), url,
            count.canConvertToLong() ? count.asLong() : null));
      }
    }
    return files;
  }
}
