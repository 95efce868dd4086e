package dev.fhirguard.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirguard.internal.text.ByteSizes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

  private static final long MAX = 1L << 30;

  @ParameterizedTest
  @CsvSource({
    "0, 0", "100, 100", "100B, 100", "512KiB, 524288", "512kb, 524288", "16MiB, 16777216",
    "16MB, 16777216", "16mib, 16777216", "1GiB, 1073741824", "1GB, 1073741824"
  })
  void a_whole_number_with_an_optional_binary_unit_is_a_size(String text, long bytes) {
    assertEquals(bytes, ByteSizes.parse(text, 0, MAX));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "MiB", "16 MiB", "1.5MiB", "-1", "16M", "16Mi", "2GiB", "1073741825", "999999999999GiB",
    "1e6", "16MiBs"
  })
  void anything_else_is_refused_with_the_expected_form(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(text, 0, MAX));
    assertEquals("expected a size from 0 to 1GiB such as 0, 512KiB, 16MiB or 1GiB",
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"16777216, 16MiB", "1572864, 1536KiB", "1073741824, 1GiB", "100, 100B", "0, 0"})
  void a_size_is_shown_in_its_largest_exact_unit(long bytes, String text) {
    assertEquals(text, ByteSizes.format(bytes));
  }
}
