package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/** What a transaction id fhirguard generated looks like: a lower-case UUID version 4. */
public final class Ids {

  public static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private Ids() {}

  public static void assertGenerated(String id) {
    assertTrue(UUID_V4.matcher(id).matches(), () -> "not a generated UUID v4: " + id);
  }
}
