import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';

/** Where scripts/go-tools.sh installs the command-line tools it builds with go install. */
export const TOOLCHAIN_BIN = path.join(ROOT, '.toolchain/bin');
const GO_TOOLS_SCRIPT = path.join(ROOT, 'scripts/go-tools.sh');

export type GoTool = 'helm' | 'kubeconform';

/** The version scripts/go-tools.sh pins for a tool (HELM_VERSION=v3.19.5 and the like). */
export function pinnedVersion(tool: GoTool): string {
  const variable = `${tool.toUpperCase()}_VERSION`;
  const match = new RegExp(`^${variable}=(\\S+)$`, 'm').exec(readFileSync(GO_TOOLS_SCRIPT, 'utf8'));
  if (!match?.[1]) throw new Error(`scripts/go-tools.sh sets no ${variable}`);
  return match[1];
}

/**
 * The path of a tool built by scripts/go-tools.sh, at the version it pins; throws, saying how
 * to build it, when it is missing or another version.
 */
export function goTool(tool: GoTool, bin = TOOLCHAIN_BIN): string {
  const binary = path.join(bin, tool);
  const wanted = pinnedVersion(tool);
  const build = `build it with: bash scripts/go-tools.sh (go install into .toolchain/bin; scripts/test.sh does this)`;
  if (!existsSync(binary)) throw new Error(`${tool} ${wanted} is not in ${bin}: ${build}`);
  const stamp = path.join(bin, `.${tool}.version`);
  // The stamp's first line is the version built, the second its ldflags.
  const built = existsSync(stamp) ? (readFileSync(stamp, 'utf8').split('\n')[0] ?? '').trim() : 'an unknown version';
  if (built !== wanted) throw new Error(`${binary} is ${built}, scripts/go-tools.sh pins ${wanted}: ${build}`);
  return binary;
}
