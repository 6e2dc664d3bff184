import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { backtestRoutes } from './backtest.js';
import { healthRoutes } from './health.js';
import { leadRoutes } from './leads.js';

export function httpRoutes(deps: Deps): CustomRoute[] {
  return [...healthRoutes(deps), ...leadRoutes(deps), ...backtestRoutes(deps)];
}
