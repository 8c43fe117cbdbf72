import { RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SqlQueryClient } from '@l1t/store';

/**
 * Limits on password guessing (issue #17 defect 3: 100 wrong passwords were 100 × 401, never 429), with
 * rate-limiter-flexible over PostgreSQL so every pod of a deployment shares the counts (the embedded PGlite
 * serves the same SQL): failures per user name and client address, and per client address over all names.
 * A success clears the user-and-address count. Counting failures only keeps a user who types right from
 * ever being limited.
 */
export interface LoginLimits {
  /** Failed logins of one user name from one address before it is refused, per `windowS`. */
  perUserAndIp: number;
  /** Failed logins from one address (any user name), per `windowS`. */
  perIp: number;
  windowS: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUserAndIp: 10, perIp: 100, windowS: 15 * 60 };

export class LoginRefused extends Error {
  override name = 'LoginRefused';
  constructor(readonly retryAfterS: number) {
    super(`too many failed logins; retry in ${retryAfterS} s`);
  }
}

/**
 * A fixed-window counter kept in PostgreSQL (table `l1t_rate_limits`, made by the library; keys are
 * prefixed per use), shared by every process on the database: on EKS the limits hold across pods.
 */
export function postgresLimiter(
  client: SqlQueryClient,
  prefix: string,
  points: number,
  windowS: number,
): Promise<RateLimiterAbstract> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres(
      {
        storeClient: client,
        storeType: 'client',
        tableName: 'l1t_rate_limits',
        keyPrefix: prefix,
        points,
        duration: windowS,
        // Expired rows are overwritten on the next failure of the same key; no background timer.
        clearExpiredByTimeout: false,
      },
      (err?: Error) => (err ? reject(err) : resolve(limiter)),
    );
  });
}

const retryS = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export class LoginGuard {
  private constructor(
    private readonly byUserIp: RateLimiterAbstract,
    private readonly byIp: RateLimiterAbstract,
  ) {}

  static async open(client: SqlQueryClient, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): Promise<LoginGuard> {
    const [byUserIp, byIp] = await Promise.all([
      postgresLimiter(client, 'login_user_ip', limits.perUserAndIp, limits.windowS),
      postgresLimiter(client, 'login_ip', limits.perIp, limits.windowS),
    ]);
    return new LoginGuard(byUserIp, byIp);
  }

  private static userKey(username: string, ip: string): string {
    return `${username.toLowerCase()}|${ip}`;
  }

  /** Throws LoginRefused when either count is used up (before any password is checked). */
  async check(username: string, ip: string): Promise<void> {
    const [u, a] = await Promise.all([this.byUserIp.get(LoginGuard.userKey(username, ip)), this.byIp.get(ip)]);
    for (const [res, limit] of [
      [u, this.byUserIp.points],
      [a, this.byIp.points],
    ] as const) {
      if (res && res.consumedPoints >= limit) throw new LoginRefused(retryS(res));
    }
  }

  async failed(username: string, ip: string): Promise<void> {
    // consume() rejects with the RateLimiterRes once over the limit: counted either way.
    const count = (p: Promise<unknown>) =>
      p.catch((e: unknown) => (e instanceof RateLimiterRes ? undefined : Promise.reject(e)));
    await Promise.all([count(this.byUserIp.consume(LoginGuard.userKey(username, ip))), count(this.byIp.consume(ip))]);
  }

  async succeeded(username: string, ip: string): Promise<void> {
    await this.byUserIp.delete(LoginGuard.userKey(username, ip));
  }
}
