// The GitHub Action (action.yml) and the GitLab CI template: their structure, that they pass
// `provenant attest` only flags it has, and that their scripts really produce a bundle (run with a
// stub `npx` that starts the built CLI, key signing, offline).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { cliBin, repoRoot, runCli, tempDir } from './support/cli.ts';

interface ActionYaml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: { id?: string; uses?: string; run?: string; if?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
}

interface GitlabTemplate {
  '.provenant-attest': {
    image: string;
    id_tokens: Record<string, { aud: string }>;
    variables: Record<string, string>;
    script: string[];
    artifacts: { paths: string[] };
  };
}

const ACTION = join(repoRoot, 'action.yml');
const GITLAB = join(repoRoot, 'templates', 'gitlab', 'provenant.gitlab-ci.yml');

let attestFlags: Set<string>;
let action: ActionYaml;
let gitlab: GitlabTemplate;
let cliVersion: string;

before(async () => {
  const help = await runCli(['attest', '--help']);
  assert.equal(help.status, 0, help.stderr);
  attestFlags = new Set(help.stdout.match(/--[a-z][a-z0-9-]*/g));
  assert.ok(attestFlags.has('--subject') && attestFlags.has('--keyless'));
  action = parse(await readFile(ACTION, 'utf8'), { strict: true, uniqueKeys: true }) as ActionYaml;
  gitlab = parse(await readFile(GITLAB, 'utf8'), { strict: true, uniqueKeys: true }) as GitlabTemplate;
  cliVersion = (JSON.parse(await readFile(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;
});

/** The long flags a script passes to `provenant attest`: every `--flag` except npx's own. */
function flagsIn(script: string): string[] {
  const npx = new Set(['--yes', '--package']);
  return [...new Set(script.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])].filter((f) => !npx.has(f));
}

describe('action.yml', () => {
  test('a composite action whose attest step passes only flags `provenant attest --help` lists', () => {
    assert.equal(action.runs.using, 'composite');
    const attest = action.runs.steps.find((s) => s.id === 'attest');
    assert.ok(attest?.run, 'a run step with id attest');
    assert.match(attest.run, /npx --yes --package "@provenant\/cli@\$\{INPUT_VERSION\}" -- provenant attest /);
    const flags = flagsIn(attest.run);
    assert.deepEqual(flags.filter((f) => !attestFlags.has(f)), []);
    for (const f of ['--subject', '--subject-digest', '--subject-checksums', '--lockfile', '--key', '--keyless', '--sbom-out', '--out']) assert.ok(flags.includes(f), f);
  });

  test('every input it references exists, and every input is used', () => {
    const text = JSON.stringify(action.runs);
    const referenced = new Set([...text.matchAll(/inputs\.([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
    assert.deepEqual([...referenced].filter((i) => !(i in action.inputs)), []);
    assert.deepEqual(Object.keys(action.inputs).filter((i) => !referenced.has(i)), []);
    for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description.length > 10, name);
  });

  test('inputs reach the script only through env, never as an expression inside it (no script injection)', () => {
    for (const step of action.runs.steps) if (step.run) assert.doesNotMatch(step.run, /\$\{\{/);
  });

  test('outputs: bundle-path (and sbom-path) written by the attest step', () => {
    const attest = action.runs.steps.find((s) => s.id === 'attest')!;
    for (const [name, output] of Object.entries(action.outputs)) {
      assert.equal(output.value, `\${{ steps.attest.outputs.${name} }}`);
      assert.match(attest.run!, new RegExp(`echo "${name}=`));
    }
    assert.ok('bundle-path' in action.outputs);
  });

  test('uploads with actions/upload-artifact when upload is true; the default version is this release', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    assert.equal(upload?.if, "inputs.upload == 'true'");
    assert.match(upload?.with?.['path'] ?? '', /steps\.attest\.outputs\.bundle-path/);
    assert.equal(action.inputs['provenant-version']?.default, cliVersion);
  });
});

describe('templates/gitlab/provenant.gitlab-ci.yml', () => {
  test('a job to extend, with an id_tokens SIGSTORE_ID_TOKEN of audience sigstore', () => {
    const job = gitlab['.provenant-attest'];
    assert.deepEqual(job.id_tokens, { SIGSTORE_ID_TOKEN: { aud: 'sigstore' } });
    assert.equal(job.variables['PROVENANT_VERSION'], cliVersion);
  });

  test('its script passes only flags `provenant attest --help` lists', () => {
    const script = gitlab['.provenant-attest'].script.join('\n');
    assert.match(script, /npx --yes --package "@provenant\/cli@\$PROVENANT_VERSION" -- provenant attest /);
    const flags = flagsIn(script);
    assert.deepEqual(flags.filter((f) => !attestFlags.has(f)), []);
    for (const f of ['--subject', '--lockfile', '--key', '--keyless', '--sbom-out', '--out']) assert.ok(flags.includes(f), f);
  });

  test('every PROVENANT_ variable it reads is defined (PROVENANT_KEY_FILE is the optional File variable)', () => {
    const job = gitlab['.provenant-attest'];
    const text = `${job.script.join('\n')}\n${job.artifacts.paths.join('\n')}`;
    const used = new Set([...text.matchAll(/\$\{?(PROVENANT_[A-Z_]+)/g)].map((m) => m[1]!));
    assert.deepEqual([...used].filter((v) => !(v in job.variables) && v !== 'PROVENANT_KEY_FILE'), []);
    assert.ok(job.artifacts.paths.includes('$PROVENANT_OUT'));
  });
});

describe('the scripts, run for real (stub npx, key signing)', () => {
  let dir = '';
  let env: Record<string, string> = {};

  async function setUp(t: { after: (fn: () => Promise<void>) => unknown }): Promise<void> {
    dir = await tempDir(t);
    const bin = join(dir, 'bin');
    await mkdir(bin);
    // A stub `npx` that drops `--yes --package <pkg> -- provenant` and runs the built CLI.
    await writeFile(join(bin, 'npx'), `#!/bin/sh\nshift 4\n[ "$1" = provenant ] && shift\nexec "${process.execPath}" "${cliBin}" "$@"\n`);
    await chmod(join(bin, 'npx'), 0o755);
    await mkdir(join(dir, 'work', 'dist'), { recursive: true });
    await writeFile(join(dir, 'work', 'dist', 'app.js'), 'console.log(1)\n');
    await writeFile(join(dir, 'work', 'dist', 'app.css'), 'a{}\n');
    const key = await runCli(['keygen', '--out', join(dir, 'release')]);
    assert.equal(key.status, 0, key.stderr);
    env = {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      HOME: dir,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: join(dir, 'github-output'),
    };
    await writeFile(env['GITHUB_OUTPUT']!, '');
  }

  test('action.yml: bundle and SBOM written, bundle-path output set, the key file removed', async (t) => {
    await setUp(t);
    const attest = action.runs.steps.find((s) => s.id === 'attest')!;
    const stepEnv: Record<string, string> = {
      ...env,
      INPUT_SUBJECTS: 'dist/app.js\n  dist/*.css  \n\n',
      INPUT_SUBJECT_DIGESTS: `image.tar@sha256:${'a'.repeat(64)}`,
      INPUT_SUBJECT_CHECKSUMS: '',
      INPUT_LOCKFILES: '',
      INPUT_SBOM: 'true',
      INPUT_OUT: 'build.sigstore.json',
      INPUT_VERSION: cliVersion,
      PROVENANT_KEY_PEM: await readFile(join(dir, 'release.key'), 'utf8'),
      PROVENANT_KEY_PASSPHRASE: '',
    };
    const r = spawnSync('bash', ['-c', attest.run!], { cwd: join(dir, 'work'), env: stepEnv, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const outputs = await readFile(env['GITHUB_OUTPUT']!, 'utf8');
    const bundlePath = join(dir, 'work', 'build.sigstore.json');
    assert.match(outputs, new RegExp(`^bundle-path=${bundlePath}$`, 'm'));
    assert.match(outputs, /^sbom-path=.*build\.sbom\.sigstore\.json$/m);
    const verified = await runCli(['verify', join(dir, 'work', 'dist', 'app.js'), '--bundle', bundlePath, '--key', join(dir, 'release.pub')]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const statement = JSON.parse(Buffer.from((JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload, 'base64').toString('utf8')) as { subject: { name: string }[] };
    assert.deepEqual(statement.subject.map((s) => s.name), ['dist/app.css', 'dist/app.js', 'image.tar']);
    const left = spawnSync('sh', ['-c', `ls "${dir}" | grep -c provenant-key || true`], { encoding: 'utf8' });
    assert.equal(left.stdout.trim(), '0', 'the key file is removed');
  });

  test('GitLab template: the bundle written with the File-variable key (POSIX sh)', async (t) => {
    await setUp(t);
    const job = gitlab['.provenant-attest'];
    const jobEnv: Record<string, string> = {
      ...env,
      ...job.variables,
      PROVENANT_SUBJECTS: 'dist/app.js\ndist/*.css',
      PROVENANT_KEY_FILE: join(dir, 'release.key'),
    };
    const r = spawnSync('sh', ['-c', job.script.join('\n')], { cwd: join(dir, 'work'), env: jobEnv, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const verified = await runCli(['verify', join(dir, 'work', 'dist', 'app.css'), '--bundle', join(dir, 'work', job.variables['PROVENANT_OUT']!), '--key', join(dir, 'release.pub')]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  });
});

describe('docs/integrations.md examples', () => {
  let blocks: unknown[];
  let helpFlags: Record<string, Set<string>>;

  before(async () => {
    const doc = await readFile(join(repoRoot, 'docs', 'integrations.md'), 'utf8');
    blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!, { strict: true, uniqueKeys: true }) as unknown);
    helpFlags = {};
    for (const command of ['verify', 'doctor']) {
      const help = await runCli([command, '--help']);
      helpFlags[command] = new Set(help.stdout.match(/--[a-z][a-z0-9-]*/g));
    }
  });

  /** Every `provenant <command> ...` in the text passes only flags `<command> --help` lists. */
  function checkCommands(text: string): number {
    let n = 0;
    for (const m of text.matchAll(/provenant (verify|doctor)((?:[^\n]*\\\n)*[^\n]*)/g)) {
      n++;
      const unknown = flagsIn(m[2]!).filter((f) => !helpFlags[m[1]!]!.has(f));
      assert.deepEqual(unknown, [], `provenant ${m[1]}`);
    }
    return n;
  }

  test('the GitHub workflow: valid YAML, only inputs action.yml has, and verify before deploy', () => {
    const workflow = blocks.find((b) => (b as { jobs?: unknown }).jobs !== undefined) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string>; run?: string }[] }> };
    assert.ok(workflow, 'a workflow example');
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const ours = steps.find((s) => s.uses?.startsWith('OWNER/provenant@'));
    assert.deepEqual(Object.keys(ours?.with ?? {}).filter((k) => !(k in action.inputs)), []);
    const deploy = workflow.jobs['deploy']!.steps.map((s) => s.run ?? '').join('\n');
    assert.ok(deploy.indexOf('provenant verify') < deploy.indexOf('deploy.sh'), 'verify comes before deploy');
    assert.ok(checkCommands(steps.map((s) => s.run ?? '').join('\n')) >= 2);
  });

  test('the GitLab pipeline: valid YAML, extends the template with its variables, and verify before deploy', () => {
    const pipeline = blocks.find((b) => (b as { include?: unknown }).include !== undefined) as Record<string, { extends?: string; variables?: Record<string, string>; script?: string[]; before_script?: string[] }>;
    assert.ok(pipeline, 'a pipeline example');
    const attest = pipeline['attest']!;
    assert.equal(attest.extends, '.provenant-attest');
    assert.deepEqual(Object.keys(attest.variables ?? {}).filter((v) => !(v in gitlab['.provenant-attest'].variables)), []);
    const deploy = (pipeline['deploy']!.script ?? []).join('\n');
    assert.ok(deploy.indexOf('provenant verify') < deploy.indexOf('deploy.sh'), 'verify comes before deploy');
    assert.ok(checkCommands([deploy, ...(attest.before_script ?? [])].join('\n')) >= 2);
  });
});
