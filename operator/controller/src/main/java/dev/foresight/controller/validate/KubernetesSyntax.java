package dev.foresight.controller.validate;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.regex.Pattern;

/**
 * The naming and quantity rules of the Kubernetes API server, checked here so that a bad value is
 * reported on the field the user wrote instead of as a rejected Job later.
 */
public final class KubernetesSyntax {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  /** A qualified name such as nvidia.com/gpu: an optional DNS-subdomain prefix and a name part. */
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  private KubernetesSyntax() {}

  /** Namespaces, volume names: at most 63 lowercase letters, digits and '-'. */
  public static boolean isDnsLabel(String s) {
    return s != null && s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** Most object names (Secrets, service accounts, priority classes): at most 253 characters. */
  public static boolean isDnsSubdomain(String s) {
    return s != null && s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }

  public static boolean isLabelValue(String s) {
    return s != null && s.length() <= 63 && LABEL_VALUE.matcher(s).matches();
  }

  /** Extended resource names such as {@code nvidia.com/gpu}. */
  public static boolean isQualifiedName(String s) {
    if (s == null || !QUALIFIED_NAME.matcher(s).matches()) {
      return false;
    }
    int slash = s.indexOf('/');
    return s.length() - slash - 1 <= 63 && slash <= 253;
  }

  /** True when Kubernetes can parse {@code quantity} (e.g. 4, 500m, 32Gi). */
  public static boolean isQuantity(Quantity quantity) {
    if (quantity == null || quantity.getAmount() == null || quantity.getAmount().isBlank()) {
      return false;
    }
    try {
      Quantity.getAmountInBytes(quantity);
      return true;
    } catch (IllegalArgumentException | ArithmeticException e) {
      return false;
    }
  }
}
