package dev.mmo.vs.admin;

import dev.mmo.protocol.wire.GsId;
import dev.mmo.protocol.wire.SessionId;
import dev.mmo.vs.session.SessionEntity;
import dev.mmo.vs.session.SessionStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The session audit trail, as operators read it. */
@ApplicationScoped
public class SessionAdminService {
  /** Newest first; the id breaks ties so that pages never overlap. */
  private static final Sort NEWEST_FIRST = Sort.descending("createdAt").and("id");

  /**
   * Sessions, newest first.
   *
   * @param gsId only this game server's, or all when null
   * @param status only those in this status, or all when null
   */
  public Uni<PageView<SessionView>> list(GsId gsId, SessionStatus status, PageRequest page) {
    List<String> where = new ArrayList<>();
    Map<String, Object> parameters = new HashMap<>();
    if (gsId != null) {
      where.add("gsId = :gsId");
      parameters.put("gsId", gsId.value());
    }
    if (status != null) {
      where.add("status = :status");
      parameters.put("status", status);
    }
    return Panache.withSession(
        () -> {
          PanacheQuery<SessionEntity> query =
              where.isEmpty()
                  ? SessionEntity.findAll(NEWEST_FIRST)
                  : SessionEntity.find(String.join(" and ", where), NEWEST_FIRST, parameters);
          return query
              .count()
              .flatMap(
                  total ->
                      query
                          .range(page.offset(), page.lastIndex())
                          .list()
                          .map(
                              sessions ->
                                  new PageView<>(
                                      sessions.stream().map(SessionView::of).toList(),
                                      page.offset(),
                                      page.limit(),
                                      total)));
        });
  }

  public Uni<SessionView> get(SessionId id) {
    return Panache.withSession(
        () ->
            SessionEntity.findBySessionId(id)
                .onItem()
                .ifNull()
                .failWith(() -> new SessionNotFoundException(id))
                .map(SessionView::of));
  }
}
