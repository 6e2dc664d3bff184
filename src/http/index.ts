import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { backtestRoutes } from './backtest.js';
import { funnelRoutes } from './funnel.js';
import { healthRoutes } from './health.js';
import { leadRoutes } from './leads.js';
import { outcomeRoutes } from './outcomes.js';
import { readRoutes } from './read.js';

export function httpRoutes(deps: Deps): CustomRoute[] {
  return [
    ...healthRoutes(deps),
    ...leadRoutes(deps),
    ...backtestRoutes(deps),
    ...outcomeRoutes(deps),
    ...funnelRoutes(deps),
    ...readRoutes(deps),
  ];
}
