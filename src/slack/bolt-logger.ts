import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Routes Bolt's and the Web API client's logs into our pino logger (and its redaction), honouring the level
 * they set on it: they leave filtering to the logger they are given.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const at =
    (l: LogLevel, write: (msg: string) => void) =>
    (...msg: unknown[]) => {
      if (ORDER.indexOf(l) >= ORDER.indexOf(level)) write(msg.map(String).join(' '));
    };
  return {
    debug: at(LogLevel.DEBUG, (m) => child.debug(m)),
    info: at(LogLevel.INFO, (m) => child.info(m)),
    warn: at(LogLevel.WARN, (m) => child.warn(m)),
    error: at(LogLevel.ERROR, (m) => child.error(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
