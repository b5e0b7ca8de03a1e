package dev.foresight.controller.support.rbac;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fabric8's mock API server in CRUD mode with an RBAC authorizer in front, for one service account:
 * requests that carry its token are decided by {@link RbacGrants} and refused with a 403 Status
 * worded as a real API server words it; the test's own client (no token) is a cluster admin. The
 * plain mock accepts every verb, so a permission the operator uses but the chart does not grant
 * (the Lease {@code patch} of every renewal) went unseen until a real cluster refused it.
 *
 * <p>Self-subject reviews are answered from the same grants, as a real server does for every
 * authenticated user: JOSDK's Lease check and the operator's own start-up check see what the
 * authorizer enforces.
 *
 * <p>One substitution, because the mock cannot serve server-side apply: tests run the operator with
 * SSA off, so it writes status with a PUT where production sends an apply PATCH; a status PUT is
 * therefore authorized as the {@code patch} production needs. Every other request is judged as sent.
 */
public final class RbacEnforcingServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient admin;
  private final String user;
  private final String token;
  private final RbacGrants grants;
  private final List<ResourceRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> denied = new CopyOnWriteArrayList<>();

  /**
   * @param serviceAccount "namespace:name" of the account whose requests are authorized
   */
  public RbacEnforcingServer(RbacGrants grants, String serviceAccount) {
    this.grants = grants;
    this.user = "system:serviceaccount:" + serviceAccount;
    this.token = "token-of-" + serviceAccount.replace(':', '-');
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
        new Authorizer(new KubernetesMixedDispatcher(responses)), false);
    server.init();
    admin = server.createClient();
  }

  public KubernetesMockServer server() {
    return server;
  }

  /** A cluster admin's client, for the test's own reads and writes. */
  public KubernetesClient adminClient() {
    return admin;
  }

  /** A client that authenticates as the service account; the caller closes it. */
  public KubernetesClient serviceAccountClient() {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(admin.getConfiguration()).withOauthToken(token).build())
        .build();
  }

  /** Every resource request the service account made, in order. */
  public List<ResourceRequest> requests() {
    return List.copyOf(requests);
  }

  /** The 403 messages the service account got. */
  public List<String> denied() {
    return List.copyOf(denied);
  }

  @Override
  public void close() {
    admin.close();
    server.destroy();
  }

  private final class Authorizer extends Dispatcher implements Resetable, CustomResourceAware {
    private final KubernetesMixedDispatcher crud;

    Authorizer(KubernetesMixedDispatcher crud) {
      this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) {
      if (!("Bearer " + token).equals(recorded.getHeader("Authorization"))) {
        return crud.dispatch(recorded);
      }
      Optional<ResourceRequest> parsed = ResourceRequest.parse(recorded.getMethod(), recorded.getPath());
      if (parsed.isEmpty()) {
        return crud.dispatch(recorded);
      }
      ResourceRequest request = parsed.get();
      requests.add(request);
      if (request.group().equals("authorization.k8s.io") && request.verb().equals("create")) {
        return review(request.resource(), recorded.getUtf8Body());
      }
      if (!grants.allows(asProductionSendsIt(request))) {
        String message = forbidden(request);
        denied.add(message);
        return new MockResponse().setResponseCode(403).setBody(Serialization.asJson(status(request, message)));
      }
      return crud.dispatch(recorded);
    }

    private static ResourceRequest asProductionSendsIt(ResourceRequest r) {
      return r.verb().equals("update") && "status".equals(r.subresource())
          ? new ResourceRequest("patch", r.group(), r.resource(), r.subresource(), r.namespace(), r.name())
          : r;
    }

    private MockResponse review(String kind, String body) {
      Object answer;
      if (kind.equals("selfsubjectrulesreviews")) {
        SelfSubjectRulesReview review = Serialization.unmarshal(body, SelfSubjectRulesReview.class);
        review.setStatus(new SubjectRulesReviewStatusBuilder().withIncomplete(false)
            .withResourceRules(grants.rulesIn(review.getSpec().getNamespace())).build());
        answer = review;
      } else if (kind.equals("selfsubjectaccessreviews")) {
        SelfSubjectAccessReview review = Serialization.unmarshal(body, SelfSubjectAccessReview.class);
        ResourceAttributes a = review.getSpec().getResourceAttributes();
        boolean allowed = grants.allows(new ResourceRequest(a.getVerb(), a.getGroup() == null ? "" : a.getGroup(),
            a.getResource(), a.getSubresource(), a.getNamespace() == null || a.getNamespace().isEmpty() ? null
                : a.getNamespace(), a.getName()));
        review.setStatus(new SubjectAccessReviewStatus(allowed, false, null, null));
        answer = review;
      } else {
        return new MockResponse().setResponseCode(404);
      }
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(answer));
    }

    private String forbidden(ResourceRequest r) {
      String what = r.resource() + (r.group().isEmpty() ? "" : "." + r.group())
          + (r.name() == null ? "" : " \"" + r.name() + "\"");
      return what + " is forbidden: User \"" + user + "\" cannot " + r.verb() + " resource \"" + r.qualifiedResource()
          + "\" in API group \"" + r.group() + "\""
          + (r.namespace() == null ? " at the cluster scope" : " in the namespace \"" + r.namespace() + "\"");
    }

    private static Status status(ResourceRequest r, String message) {
      return new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403).withMessage(message)
          .withNewDetails().withName(r.name()).withGroup(r.group()).withKind(r.resource()).endDetails().build();
    }

    @Override
    public void reset() {
      crud.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext rdc) {
      crud.expectCustomResource(rdc);
    }
  }
}
