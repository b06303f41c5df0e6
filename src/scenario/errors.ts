/**
 * A scenario that cannot run: every problem as one line naming the field, the expected form and the value found.
 * The command line prints the lines and exits with code 2 before anything is written.
 */
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}
