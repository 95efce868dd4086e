package dev.fhirguard.spring.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * The core's key for a Spring property name: its elements as written (case kept), joined with
 * dots; a per-client or per-upstream key ({@code fhirguard.clients.<client-id>.rate-limit.capacity})
 * gets the documented spelling around its name part, so {@code clients.app-1.rateLimit.capacity}
 * and {@code clients[app.example.org].rate-limit.capacity} reach the core as it expects them.
 */
final class CoreKeys {

  private CoreKeys() {}

  static String of(ConfigurationPropertyName name, SettingCatalog catalog) {
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      elements.add(name.getElement(i, Form.ORIGINAL));
    }
    for (SettingCatalog.Entry template : catalog.templates()) {
      String canonical = canonical(template.key(), elements);
      if (canonical != null) {
        return canonical;
      }
    }
    return String.join(".", elements);
  }

  /** {@code template} with its name part filled from {@code elements}, or null if they differ. */
  static String canonical(String template, List<String> elements) {
    int open = template.indexOf('<');
    int close = template.indexOf('>');
    List<String> head = Arrays.asList(template.substring(0, open - 1).split("\\."));
    List<String> tail = Arrays.asList(template.substring(close + 2).split("\\."));
    int nameSize = elements.size() - head.size() - tail.size();
    if (nameSize < 1
        || !sameWords(head, elements.subList(0, head.size()))
        || !sameWords(tail, elements.subList(elements.size() - tail.size(), elements.size()))) {
      return null;
    }
    String name = String.join(".", elements.subList(head.size(), head.size() + nameSize));
    return template.substring(0, open) + name + template.substring(close + 1);
  }

  private static boolean sameWords(List<String> expected, List<String> written) {
    for (int i = 0; i < expected.size(); i++) {
      if (!SettingCatalog.squash(expected.get(i)).equals(SettingCatalog.squash(written.get(i)))) {
        return false;
      }
    }
    return true;
  }
}
