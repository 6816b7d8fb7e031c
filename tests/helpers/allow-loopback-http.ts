// Imported first by in-process tests whose fake servers listen on plain http on 127.0.0.1: turns on the outbound
// policy's test setting before anything reads the configuration (lib/db.ts reads it at import).
process.env.OUTBOUND_ALLOW_LOOPBACK_HTTP = "true";
