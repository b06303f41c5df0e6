/**
 * Bad input: a scenario that cannot run, a data file or a results folder that cannot be read. Every problem is
 * one line naming the field, the expected form and the value found. The command line prints the lines and exits
 * with code 2 before anything is written. It sits at the bottom of the tree, so that any layer may throw it
 * (data/ and report/ do, beside scenario/).
 */
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}
