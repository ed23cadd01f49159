package dev.mmo.vs.audit;

/** One record of the audit trail, as it travels on the audit queue and lands in PostgreSQL. */
public sealed interface AuditRecord
    permits ReceiptRecord, RevocationRecord, HeadRecord, FenceRecord {}
