// Who may change a channel's subscriptions in Slack: workspace admins and owners, an allow list, or everyone.

import type { webApi } from "@slack/bolt";
import type { Config } from "../../config/schema.js";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import type { PermissionDecision } from "../types.js";

export interface PermissionOptions {
  policy: Config["slack"]["permissionPolicy"];
  allowList: readonly string[];
  /** Only `users.info` is called, and only under the `admins` policy (scope `users:read`). */
  client: Pick<webApi.WebClient, "users">;
  log: Logger;
}

const ADMINS_NEEDED = "workspace admin or owner rights";

/** Returns the `canManageSubscriptions` check for one user; it asks Slack at most once per call. */
export function subscriptionPermission(
  opts: PermissionOptions,
  userId: string,
): () => Promise<PermissionDecision> {
  return async () => {
    switch (opts.policy) {
      case "everyone":
        return { allowed: true, needed: "" };
      case "allowlist":
        return {
          allowed: opts.allowList.includes(userId),
          needed: `a place on this bot's allow list (ask whoever runs cyberbrief to add your Slack user id, ${userId}, to SLACK_ALLOWLIST)`,
        };
      case "admins":
        return isWorkspaceAdmin(opts, userId);
    }
  };
}

async function isWorkspaceAdmin(opts: PermissionOptions, userId: string): Promise<PermissionDecision> {
  try {
    const res = await opts.client.users.info({ user: userId });
    const user = res.user;
    const allowed = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
    return { allowed, needed: ADMINS_NEEDED };
  } catch (err) {
    // Failing closed: a refused change can be tried again in a minute; a wrongly allowed one is exactly what
    // the admins chose this policy to prevent.
    opts.log.warn({ userId, err: errorMessage(err) }, "could not check Slack admin status");
    return {
      allowed: false,
      needed: `${ADMINS_NEEDED} (I could not check yours just now; please try again in a minute)`,
    };
  }
}
