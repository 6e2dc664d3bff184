import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { createHomePublisher, type HomePublisher } from './publisher.js';
import { WorkQueueClosed, WorkQueueFull } from '../slack/work-queue.js';

/*
 * The App Home: published when a user opens it, and again after each of their own clicks and modal
 * submissions, so what it shows follows what they just did. It goes straight through the Web API, not the
 * outbox: a Home is a snapshot of the present, rebuilt whole each time. A queued publish retried later would
 * overwrite a newer one with an older picture, and a lost one costs nothing (the next open publishes afresh),
 * so there is nothing to record or retry.
 */

/** Interactions that can change what a Home shows, made by the user whose Home it is. */
const REFRESHING = new Set(['block_actions', 'view_submission']);

async function publishLogged(deps: Deps, home: HomePublisher, user: string, why: string) {
  try {
    await home.publish(user);
  } catch (error) {
    // Too busy or stopping: the refresh is skipped; the next click or opening of the tab brings the Home up to date.
    if (error instanceof WorkQueueFull || error instanceof WorkQueueClosed) return;
    // The click itself already happened; a Home that could not be refreshed must not turn it into an error.
    deps.logger.warn({ err: error, user, why }, 'could not publish the App Home');
  }
}

const actingUser = (body: AnyMiddlewareArgs['body']) => {
  const b = body as { type?: unknown; user?: { id?: unknown } };
  return typeof b.type === 'string' && REFRESHING.has(b.type) && typeof b.user?.id === 'string' ? b.user.id : null;
};

export function register(app: App, deps: Deps): void {
  const home = createHomePublisher(deps);

  app.event('app_home_opened', async ({ event }) => {
    // The Messages tab opens the same event; only the Home tab shows what we publish.
    if (event.tab !== 'home') return;
    await publishLogged(deps, home, event.user, 'opened');
  });

  app.use(async ({ body, next }) => {
    await next();
    const user = actingUser(body);
    // Only Homes someone has looked at since the bot started: a Home never opened is not worth a Slack call.
    if (user && home.hasPublished(user)) await publishLogged(deps, home, user, body.type);
  });
}
