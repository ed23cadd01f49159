package dev.mmo.auditor;

import java.io.IOException;
import java.util.Optional;

/** A session's receipts in ascending gs_counter, read as the audit needs them. */
public interface ReceiptSource {

  /**
   * The next receipt, or empty after the last.
   *
   * @throws IOException when the receipts cannot be read completely (the audit cannot conclude)
   */
  Optional<ListedReceipt> next() throws IOException;
}
