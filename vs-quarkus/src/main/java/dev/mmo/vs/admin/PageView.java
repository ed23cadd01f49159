package dev.mmo.vs.admin;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list, and where it sits in the whole. */
public record PageView<T>(
    @Schema(description = "The items of this page.") List<T> items,
    @Schema(description = "Items skipped before this page.") int offset,
    @Schema(description = "The most items this page could hold.") int limit,
    @Schema(description = "Items in the whole list.") long total) {}
