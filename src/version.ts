/** The package version: injected by the esbuild bundle, read from package.json when running from sources. */
import { readFileSync } from 'node:fs';

declare const __CHRONOPROP_VERSION__: string | undefined;

function fromPackageJson(): string {
  const url = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export const VERSION: string =
  typeof __CHRONOPROP_VERSION__ === 'string' ? __CHRONOPROP_VERSION__ : fromPackageJson();
