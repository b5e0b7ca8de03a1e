package dev.foresight.controller.observe;

import java.util.List;

/**
 * Whether the Job controller's refusal to create the worker pod will last. Only a refusal that
 * nothing but a change by a person lifts fails an evaluation early; the others (an exhausted
 * ResourceQuota frees up as other work ends, a service account appears when created, an admission
 * webhook times out now and then) are reported while the evaluation waits, and fail it only at its
 * deadline.
 */
final class PodCreationRefusal {
  /** Substrings of the API server's answer that the same pod spec will always get. */
  private static final List<String> LASTING = List.of(
      "no PriorityClass with name",          // the priority admission plugin
      "violates PodSecurity",                // Pod Security Admission
      "denied the request",                  // a validating or mutating admission webhook
      "denied request",                      // a ValidatingAdmissionPolicy
      "usage per Container",                 // a LimitRange bound the resources exceed
      "usage per Pod",
      "must specify");                       // a ResourceQuota that requires limits the pod lacks

  private PodCreationRefusal() {}

  static boolean lasting(String message) {
    return LASTING.stream().anyMatch(message::contains);
  }
}
