package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Where the time went, in seconds. The worker reports load, forward, probe and generative; the
 * controller adds queued (creation to pod start) and total (creation to result).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Latency {
  private Double totalSeconds;
  private Double queuedSeconds;
  private Double loadSeconds;
  private Double forwardSeconds;
  private Double probeSeconds;
  private Double generativeSeconds;

  public Double getTotalSeconds() { return totalSeconds; }
  public void setTotalSeconds(Double totalSeconds) { this.totalSeconds = totalSeconds; }
  public Double getQueuedSeconds() { return queuedSeconds; }
  public void setQueuedSeconds(Double queuedSeconds) { this.queuedSeconds = queuedSeconds; }
  public Double getLoadSeconds() { return loadSeconds; }
  public void setLoadSeconds(Double loadSeconds) { this.loadSeconds = loadSeconds; }
  public Double getForwardSeconds() { return forwardSeconds; }
  public void setForwardSeconds(Double forwardSeconds) { this.forwardSeconds = forwardSeconds; }
  public Double getProbeSeconds() { return probeSeconds; }
  public void setProbeSeconds(Double probeSeconds) { this.probeSeconds = probeSeconds; }
  public Double getGenerativeSeconds() { return generativeSeconds; }
  public void setGenerativeSeconds(Double generativeSeconds) { this.generativeSeconds = generativeSeconds; }

  @Override
  public boolean equals(Object o) {
    return o instanceof Latency l && Objects.equals(totalSeconds, l.totalSeconds)
        && Objects.equals(queuedSeconds, l.queuedSeconds) && Objects.equals(loadSeconds, l.loadSeconds)
        && Objects.equals(forwardSeconds, l.forwardSeconds) && Objects.equals(probeSeconds, l.probeSeconds)
        && Objects.equals(generativeSeconds, l.generativeSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(totalSeconds, queuedSeconds, loadSeconds, forwardSeconds, probeSeconds, generativeSeconds);
  }
}
