import type { DbOrTx } from '../../db/client.js';
import {
  activeEndpointHealth,
  countWaitingDeliveries,
  recordEndpointFailure,
  recordEndpointSuccess,
} from '../../db/queries/webhook-deliveries.js';
import type { Logger } from '../logger.js';
import { redactedUrl } from './url-text.js';

/** A URL is reported failing after this many failures in a row, or once it has failed for this long. */
export const REPORT_AFTER = { failures: 5, forMs: 60_000 };

/** Ends the endpoint's run of failures; if that run was reported, says once that it recovered. */
export async function endpointSucceeded(db: DbOrTx, logger: Logger, url: string, at: Date): Promise<void> {
  const { wasReported } = await recordEndpointSuccess(db, url, at);
  if (!wasReported) return;
  const waiting = await countWaitingDeliveries(db, url);
  logger.info({ url: redactedUrl(url), waiting }, `webhook URL ${redactedUrl(url)} recovered; ${waiting} deliveries waiting`);
}

/** Counts a failure; the first time the run is long enough, reports it in one log line (and in /healthz). */
export async function endpointFailed(db: DbOrTx, logger: Logger, url: string, error: string, at: Date): Promise<void> {
  const { report, failingSince } = await recordEndpointFailure(db, url, error, at, REPORT_AFTER);
  if (!report) return;
  const waiting = await countWaitingDeliveries(db, url);
  logger.warn(
    { url: redactedUrl(url), lastError: error, failingSince: failingSince?.toISOString(), waiting },
    `webhook URL ${redactedUrl(url)} is failing (${error}); ${waiting} deliveries waiting, retried with backoff for up to WEBHOOK_RETRY_FOR`,
  );
}

export interface EndpointHealth {
  url: string;
  /** retrying: deliveries fail, not (yet) for long enough to be reported; failing: reported, /healthz is degraded. */
  status: 'ok' | 'retrying' | 'failing';
  failingSince: string | null;
  lastError: string | null;
  waiting: number;
}

/** The configured URLs as /healthz shows them (redacted): failing once reported, until a delivery goes through. */
export async function webhookHealth(db: DbOrTx): Promise<EndpointHealth[]> {
  return (await activeEndpointHealth(db)).map((row) => ({
    url: redactedUrl(row.url),
    status: row.reportedAt ? 'failing' : row.failingSince ? 'retrying' : 'ok',
    failingSince: row.failingSince?.toISOString() ?? null,
    lastError: row.lastError,
    waiting: row.waiting,
  }));
}
