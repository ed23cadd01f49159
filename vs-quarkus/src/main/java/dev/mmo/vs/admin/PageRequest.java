package dev.mmo.vs.admin;

/** One page of a list: at most {@code limit} items after the first {@code offset}. */
public record PageRequest(int offset, int limit) {
  public PageRequest {
    if (offset < 0 || limit < 1) {
      throw new IllegalArgumentException("offset >= 0 and limit >= 1");
    }
  }

  /** The index of the page's last item, as Panache's {@code range} takes it. */
  int lastIndex() {
    return offset + limit - 1;
  }
}
