-- What bounds join_rejections. (V1's comment on the table is wrong and V1 cannot change: Flyway
-- checksums applied migrations.) Numbered V3: V2 is reserved for the admin API's sessions index.
COMMENT ON TABLE join_rejections IS
    'Refused joins of game servers whose signature verified (unauthenticated refusals are only '
    'counted). Bounded by mmo.vs.join.max-joins-per-minute per enrolled game server; rows older '
    'than mmo.vs.join.rejection-retention are deleted by the VS.';
