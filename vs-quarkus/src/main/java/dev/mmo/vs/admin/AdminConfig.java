package dev.mmo.vs.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code mmo.admin.*} setting of the admin API. */
@ConfigMapping(prefix = "mmo.admin")
public interface AdminConfig {
  /** Items in a page when the caller names no {@code limit}. */
  @WithDefault("50")
  int defaultPageSize();

  /** The largest {@code limit} a caller may ask for. */
  @WithDefault("200")
  int maxPageSize();

  /**
   * The largest {@code offset} a caller may ask for. PostgreSQL reads and drops every row before a
   * page, so a page costs as much as its offset; deeper into a list, narrow it with filters.
   */
  @WithDefault("10000")
  int maxOffset();

  /**
   * Software hashes one game server may have on its allow-list: the join path loads the whole list
   * at every join.
   */
  @WithDefault("256")
  int maxSoftwarePerGameServer();

  /**
   * The most receipt tips, or transcript inputs, one verification request may carry. Each costs a
   * lookup or two hashes, and the body must also fit quarkus.http.limits.max-body-size.
   */
  @WithDefault("10000")
  int maxVerifyItems();

  /**
   * The most receipts a transcript verification compares: the whole session's receipts are read and
   * answered in one response. A longer session is refused rather than checked in part.
   */
  @WithDefault("100000")
  int maxVerifiedReceipts();
}
