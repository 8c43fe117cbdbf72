/** Exit statuses of interfaces.md §l1t analyze. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
export const EXIT_INPUT = 3;

/** A problem with how the command was called (bad option, bad profile, bad configuration): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure already reported to the user on one line: exit with this status, print nothing more. */
export class ReportedExit extends Error {
  override name = 'ReportedExit';
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}
