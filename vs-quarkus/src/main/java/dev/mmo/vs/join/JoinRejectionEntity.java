package dev.mmo.vs.join;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A refused join of a game server whose signature verified: who tried, why, when (table {@code
 * join_rejections}). Refusals of unauthenticated requests are only counted (metric {@code
 * mmo.vs.gs.rejections}). The rows are bounded by the signed joins a game server may attempt per
 * minute and deleted after {@code mmo.vs.join.rejection-retention} ({@link
 * JoinRejectionRetention}).
 */
@Entity
@Table(name = "join_rejections")
public class JoinRejectionEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "gs_id", length = 64)
  public String gsId;

  @Column(name = "reason_code", nullable = false)
  public int reasonCode;

  @Column(name = "remote_address", length = 64)
  public String remoteAddress;

  @Column(name = "rejected_at", nullable = false)
  public Instant rejectedAt;

  public static JoinRejectionEntity of(
      String gsId, int reasonCode, String remoteAddress, Instant at) {
    JoinRejectionEntity rejection = new JoinRejectionEntity();
    rejection.gsId = gsId;
    rejection.reasonCode = reasonCode;
    rejection.remoteAddress =
        remoteAddress == null || remoteAddress.length() <= 64
            ? remoteAddress
            : remoteAddress.substring(0, 64);
    rejection.rejectedAt = at.truncatedTo(ChronoUnit.MICROS);
    return rejection;
  }
}
