package dev.fhirguard.spring.internal;

import dev.fhirguard.FhirGuardConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The effective fhirguard settings under {@code fhirguard} in {@code /actuator/info}, secrets
 * masked ({@link FhirGuardConfig#get} masks them).
 */
public final class SettingsInfoContributor implements InfoContributor {

  /** A line of {@link FhirGuardConfig#toString()}: {@code   key=value (source)}. */
  private static final Pattern KEY = Pattern.compile("^\\s*(fhirguard\\.[^=\\s]+)=", Pattern.MULTILINE);

  private final FhirGuardConfig config;

  public SettingsInfoContributor(FhirGuardConfig config) {
    this.config = config;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher keys = KEY.matcher(config.toString());
    while (keys.find()) {
      settings.put(keys.group(1), config.get(keys.group(1)));
    }
    builder.withDetail("fhirguard", Map.of("settings", settings));
  }
}
