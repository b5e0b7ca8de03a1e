package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/**
 * When a checkpoint folder counts as ready. With a marker, once the marker file exists (the
 * trainer writes it last). Without one, once the folder is complete — config.json and every
 * safetensors shard its index names — and no file in it changed for {@code settleSeconds}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Readiness {
  public static final int DEFAULT_SETTLE_SECONDS = 120;

  @Pattern("^[^/]{1,128}$")
  @JsonPropertyDescription("File name the trainer writes last into each checkpoint folder, e.g. .ready")
  private String marker;

  @Min(0)
  @Max(86400)
  @JsonPropertyDescription("Without a marker: seconds a complete folder must stay unchanged; default 120")
  private Integer settleSeconds;

  public Readiness() {}

  public Readiness(String marker, Integer settleSeconds) {
    this.marker = marker;
    this.settleSeconds = settleSeconds;
  }

  public String getMarker() { return marker; }
  public void setMarker(String marker) { this.marker = marker; }
  public Integer getSettleSeconds() { return settleSeconds; }
  public void setSettleSeconds(Integer settleSeconds) { this.settleSeconds = settleSeconds; }

  @Override
  public boolean equals(Object o) {
    return o instanceof Readiness r && Objects.equals(marker, r.marker) && Objects.equals(settleSeconds, r.settleSeconds);
  }

  @Override
  public int hashCode() { return Objects.hash(marker, settleSeconds); }
}
