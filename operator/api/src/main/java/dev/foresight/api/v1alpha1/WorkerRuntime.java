package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How and where the worker pod runs. Every field is optional: defaults come from the operator's configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerRuntime {

  @JsonPropertyDescription("Worker image; defaults to the operator's configured worker image")
  private String image;

  @Min(0)
  @Max(16)
  @JsonPropertyDescription("GPUs for the worker (0 runs on CPU); default 1")
  private Integer gpus;

  @JsonPropertyDescription("Resource requests and limits for the worker container (GPUs come from 'gpus')")
  private ResourceRequirements resources;

  private Map<String, String> nodeSelector;

  private List<Toleration> tolerations;

  private String priorityClassName;

  @JsonPropertyDescription("Kueue LocalQueue: sets the kueue.x-k8s.io/queue-name label on the Job")
  private String queueName;

  @JsonPropertyDescription("Forward-pass precision: float32 or float16 (GPU only)")
  private Dtype dtype;

  @Min(1)
  @Max(4096)
  @JsonPropertyDescription("Prompts per forward batch; default 32")
  private Integer batchSize;

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public Integer getGpus() { return gpus; }
  public void setGpus(Integer gpus) { this.gpus = gpus; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
  public String getQueueName() { return queueName; }
  public void setQueueName(String queueName) { this.queueName = queueName; }
  public Dtype getDtype() { return dtype; }
  public void setDtype(Dtype dtype) { this.dtype = dtype; }
  public Integer getBatchSize() { return batchSize; }
  public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkerRuntime r && Objects.equals(image, r.image) && Objects.equals(gpus, r.gpus)
        && Objects.equals(resources, r.resources) && Objects.equals(nodeSelector, r.nodeSelector)
        && Objects.equals(tolerations, r.tolerations) && Objects.equals(priorityClassName, r.priorityClassName)
        && Objects.equals(queueName, r.queueName) && dtype == r.dtype && Objects.equals(batchSize, r.batchSize);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, gpus, resources, nodeSelector, tolerations, priorityClassName, queueName, dtype, batchSize);
  }
}
