import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FakeContextOptions } from '../testing/fake-context.ts';
import { fakeContext } from '../testing/fake-context.ts';
import type { ContainerFacts } from './container.ts';
import { detectContainer, parseContainerenvImage, runtimeFromCgroup } from './container.ts';

const PODMAN_CONTAINERENV = [
  'engine="podman-4.9.3"',
  'name="build-1"',
  'id="5c2f7a1b9e3d4c6f8a0b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a"',
  'image="docker.io/library/node:24-bookworm"',
  'imageid="3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"',
  'rootless=1',
  '',
].join('\n');

describe('detectContainer', () => {
  const cases: Array<[string, FakeContextOptions, ContainerFacts | undefined]> = [
    ['bare machine', {}, undefined],
    ['podman with image', { files: { '/run/.containerenv': PODMAN_CONTAINERENV } }, { runtime: 'podman', image: 'docker.io/library/node:24-bookworm' }],
    ['podman, rootful (empty file)', { files: { '/run/.containerenv': '' } }, { runtime: 'podman' }],
    ['docker', { files: { '/.dockerenv': '' } }, { runtime: 'docker' }],
    ['docker on GitLab with CI_JOB_IMAGE', { files: { '/.dockerenv': '' }, env: { CI_JOB_IMAGE: 'node:24-alpine' } }, { runtime: 'docker', image: 'node:24-alpine' }],
    [
      'kubernetes executor',
      { env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', CI_JOB_IMAGE: 'registry.gitlab.com/g/p/builder:1.4' } },
      { runtime: 'kubernetes', image: 'registry.gitlab.com/g/p/builder:1.4' },
    ],
    ['cgroup v1 docker', { files: { '/proc/1/cgroup': '12:pids:/docker/5c2f7a1b9e3d\n11:memory:/docker/5c2f7a1b9e3d\n' } }, { runtime: 'docker' }],
    ['cgroup v1 kubepods on docker', { files: { '/proc/1/cgroup': '1:name=systemd:/kubepods/besteffort/pod1234/docker-5c2f.scope\n' } }, { runtime: 'kubernetes' }],
    ['cgroup v2 with namespace says nothing', { files: { '/proc/1/cgroup': '0::/\n' } }, undefined],
    ['host systemd says nothing', { files: { '/proc/1/cgroup': '0::/init.scope\n' } }, undefined],
    ['CI_JOB_IMAGE alone (shell executor) is no container', { env: { CI_JOB_IMAGE: 'ruby:3.3' } }, undefined],
    ['image with credentials is dropped', { files: { '/.dockerenv': '' }, env: { CI_JOB_IMAGE: 'https://user:hunter2@registry.example/img:1' } }, { runtime: 'docker' }],
  ];
  for (const [label, options, expected] of cases) {
    test(label, async () => {
      assert.deepEqual(await detectContainer(fakeContext(options)), expected);
    });
  }
});

describe('parseContainerenvImage', () => {
  test('reads the image line', () => assert.equal(parseContainerenvImage(PODMAN_CONTAINERENV), 'docker.io/library/node:24-bookworm'));
  test('absent', () => assert.equal(parseContainerenvImage('engine="podman-4.9.3"\n'), undefined));
  test('empty value', () => assert.equal(parseContainerenvImage('image=""\n'), undefined));
  test('does not take imageid', () => assert.equal(parseContainerenvImage('imageid="abc"\n'), undefined));
});

describe('runtimeFromCgroup', () => {
  const cases: Array<[string, string | undefined]> = [
    ['12:cpu:/docker/abc', 'docker'],
    ['0::/system.slice/docker-abc.scope', 'docker'],
    ['5:devices:/kubepods.slice/kubepods-burstable.slice/cri-containerd-abc.scope', 'kubernetes'],
    ['0::/system.slice/containerd.service/abc', 'containerd'],
    ['0::/user.slice/user-1000.slice/session-2.scope', undefined],
  ];
  for (const [input, expected] of cases) {
    test(`${input} -> ${expected ?? 'undefined'}`, () => assert.equal(runtimeFromCgroup(input), expected));
  }
});
