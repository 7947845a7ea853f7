import pino, { type Logger, type DestinationStream } from "pino";

/**
 * Structured logs (pino). What may appear: job ids, tx hashes, nonces, action kinds, status codes, timings.
 * What may not (DESIGN §Relayer invariants): request bodies, signatures, key images next to IPs, secret keys,
 * patient data. Call sites log only those allowed fields; the redaction list below is a second line of defence
 * for fields that must never be printed even by mistake.
 */
const REDACT = [
  "req",
  "body",
  "payload",
  "request",
  "signature",
  "ip",
  "remoteAddress",
  "privateKey",
  "key",
  "keys",
  "*.body",
  "*.payload",
  "*.signature",
  "*.privateKey",
  "*.ip",
  "headers",
  "*.headers",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc: "medring-relayer" },
      redact: { paths: REDACT, remove: true },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

export type { Logger };
