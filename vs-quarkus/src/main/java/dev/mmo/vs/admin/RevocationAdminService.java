package dev.mmo.vs.admin;

import dev.mmo.protocol.Reason;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.revocation.RevocationEntity;
import dev.mmo.vs.session.SessionEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Revocations with their evidence, as operators read them: newest first, each list served by one
 * index of V5__audit_api_indexes.sql.
 */
@ApplicationScoped
public class RevocationAdminService {
  /** Newest first; the id breaks ties (later decisions first) so that pages never overlap. */
  private static final Sort NEWEST_FIRST = Sort.descending("decidedAt", "id");

  /**
   * Revocations, newest first.
   *
   * @param gsId only those of this game server (its own and its sessions'), or all when null
   * @param reason only those with this reason, or all when null
   */
  public Uni<PageView<RevocationView>> list(GsId gsId, Reason reason, PageRequest page) {
    List<String> where = new ArrayList<>();
    Map<String, Object> parameters = new HashMap<>();
    if (gsId != null) {
      where.add("gsId = :gsId");
      parameters.put("gsId", gsId.value());
    }
    if (reason != null) {
      where.add("reasonCode = :reason");
      parameters.put("reason", reason.code());
    }
    return Panache.withSession(
        () ->
            page(
                where.isEmpty()
                    ? RevocationEntity.findAll(NEWEST_FIRST)
                    : RevocationEntity.find(String.join(" and ", where), NEWEST_FIRST, parameters),
                page));
  }

  /** The revocations of one session, newest first; 404 when there is no such session. */
  public Uni<PageView<RevocationView>> ofSession(SessionId id, PageRequest page) {
    byte[] session = id.bytes().toByteArray();
    return Panache.withSession(
        () ->
            SessionEntity.count("id", session)
                .chain(
                    n -> {
                      if (n == 0) {
                        return Uni.createFrom().failure(new SessionNotFoundException(id));
                      }
                      return page(RevocationEntity.find("sessionId", NEWEST_FIRST, session), page);
                    }));
  }

  private static Uni<PageView<RevocationView>> page(
      PanacheQuery<RevocationEntity> query, PageRequest page) {
    return query
        .count()
        .flatMap(
            total ->
                query
                    .range(page.offset(), page.lastIndex())
                    .list()
                    .map(
                        revocations ->
                            new PageView<>(
                                revocations.stream().map(RevocationView::of).toList(),
                                page.offset(),
                                page.limit(),
                                total)));
  }
}
