package dev.fhirguard.demo.export;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked parameters of a kick-off: {@code Prefer: respond-async} is required, {@code
 * _outputFormat} must name NDJSON, {@code _since} must be a FHIR instant, {@code _type} may
 * name only types of the export's level, and {@code _elements} only their top-level elements.
 *
 * @param types the types to export, in the order asked for
 * @param since export only resources changed at or after this instant; {@code null} for all
 * @param elements the HAPI encode paths of {@code _elements}; {@code null} for whole resources
 */
record KickoffParameters(List<String> types, Instant since, Set<String> elements) {

  static final String PREFER = "Prefer";
  static final String OUTPUT_FORMAT = "_outputFormat";
  static final String SINCE = "_since";
  static final String TYPE = "_type";

  /** The kick-off parameters the sample supports (beside {@code _format} and {@code _pretty}). */
  static final String[] SUPPORTED = {OUTPUT_FORMAT, SINCE, TYPE, ExportElements.ELEMENTS};

  private static final Set<String> NDJSON =
      Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

  /** A FHIR instant: seconds and a zone are required. */
  private static final Pattern INSTANT = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

  /**
   * Checks a kick-off; {@code outputFormats}, {@code sinces}, {@code types} and {@code elements}
   * are every value given for the parameter ({@code null} when none).
   *
   * @param prefer the {@code Prefer} header
   * @throws InvalidParameter naming the first parameter at fault
   */
  static KickoffParameters parse(ExportLevel level, String prefer, List<String> outputFormats,
      List<String> sinces, List<String> types, List<String> elements) throws InvalidParameter {
    requireRespondAsync(prefer);
    checkOutputFormat(single(OUTPUT_FORMAT, outputFormats));
    Instant since = since(single(SINCE, sinces));
    return new KickoffParameters(types(level, types), since,
        ExportElements.parse(level, elements));
  }

  private static void requireRespondAsync(String prefer) throws InvalidParameter {
    if (prefer != null) {
      for (String preference : prefer.split("[,;]")) {
        if (preference.trim().equalsIgnoreCase("respond-async")) {
          return;
        }
      }
    }
    throw new InvalidParameter(PREFER, prefer,
        "the header must be respond-async: this server runs exports asynchronously only");
  }

  private static void checkOutputFormat(String format) throws InvalidParameter {
    if (format != null && !NDJSON.contains(plus(format).trim().toLowerCase(Locale.ROOT))) {
      throw new InvalidParameter(OUTPUT_FORMAT, format,
          "not supported; use application/fhir+ndjson");
    }
  }

  private static Instant since(String text) throws InvalidParameter {
    if (text == null) {
      return null;
    }
    String instant = plus(text).trim();
    try {
      if (INSTANT.matcher(instant).matches()) {
        return OffsetDateTime.parse(instant).toInstant();
      }
    } catch (DateTimeParseException e) {
      // A date that does not exist (2024-02-30): reported below.
    }
    throw new InvalidParameter(SINCE, text,
        "not a valid FHIR instant (e.g. 2024-01-01T00:00:00Z)");
  }

  private static List<String> types(ExportLevel level, List<String> values)
      throws InvalidParameter {
    if (values == null || values.isEmpty()) {
      return level.types();
    }
    Set<String> types = new LinkedHashSet<>();
    for (String value : values) {
      for (String type : value.split(",", -1)) {
        if (!level.types().contains(type.trim())) {
          throw new InvalidParameter(TYPE, type, "not a resource type this export includes ("
              + String.join(", ", level.types()) + ")");
        }
        types.add(type.trim());
      }
    }
    return new ArrayList<>(types);
  }

  private static String single(String parameter, List<String> values) throws InvalidParameter {
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new InvalidParameter(parameter, null, "given more than once");
    }
    return values.get(0);
  }

  /** A '+' sent unencoded in a query string arrives as a space. */
  private static String plus(String text) {
    return text.replace(' ', '+');
  }
}
