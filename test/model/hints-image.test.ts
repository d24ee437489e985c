// The bind-mount hint as a specification: image histories as the engine reports them (the classic
// builder's `#(nop) COPY dir:… in /dst` and BuildKit's `COPY . /app # buildkit`) say which
// directories an image filled; a bind mount on or above one is a hint at its line, and the
// corrected file (fixed.yaml) has none.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageHistory } from '../../src/engine/engine.js';
import { findFilledPaths, findHiddenImagePaths, imagesBehindBindMounts } from '../../src/model/hints-image.js';
import { findHints } from '../../src/model/hints.js';
import { loadProject } from '../../src/model/load.js';

const fixture = resolve(import.meta.dirname, '../fixtures/hints/bind-hides-image');
const load = (file: string) => loadProject({ cwd: fixture, env: {}, homeDir: homedir(), files: [resolve(fixture, file)] });

/** `docker history --no-trunc` of an image built by Engine 20.10's classic builder, oldest first. */
const CLASSIC: ImageHistory = {
  steps: [
    '',
    '/bin/sh -c #(nop) WORKDIR /app',
    '/bin/sh -c #(nop) COPY dir:d31c763a2d97e990a10e2bacb92d591ea99f40558170d581e3e8c0c509bc93f8 in /srv/site ',
    '/bin/sh -c #(nop) COPY file:41ede6d736d4b6bcef84b327474214d80bd0694e1e3d85fcd313c64de2093125 in ./ ',
    '/bin/sh -c #(nop) COPY file:41ede6d736d4b6bcef84b327474214d80bd0694e1e3d85fcd313c64de2093125 in /etc/app.conf ',
    '/bin/sh -c #(nop) ADD file:ff463e5a6b322a774a4af60447e7d06df78df38abb0b7475e0ffcff1325402ff in /srv/one/ ',
    '/bin/sh -c #(nop)  VOLUME [/data]',
  ],
  workingDir: '/app',
  volumes: ['/data'],
};

/** A Node.js app built with BuildKit on an Alpine base. */
const BUILDKIT: ImageHistory = {
  steps: [
    '/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ',
    '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
    'WORKDIR /usr/src/app',
    'COPY package.json package-lock.json ./ # buildkit',
    'RUN /bin/sh -c npm ci --omit=dev # buildkit',
    'COPY . . # buildkit',
    'COPY --chown=node:node ["config/default.json", "/etc/app/"] # buildkit',
    'COPY --from=build /out/site /srv/site # buildkit',
    'COPY nginx.conf /etc/nginx/nginx.conf # buildkit',
    'WORKDIR web',
    'COPY dist ./public # buildkit',
    'COPY <<EOF /usr/local/bin/start.sh # buildkit',
    'CMD ["node", "server.js"]',
  ],
  workingDir: '/usr/src/app/web',
  volumes: [],
};

describe('findFilledPaths', () => {
  const paths = (image: ImageHistory) => findFilledPaths(image).map((f) => `${f.path}${f.directory ? '/' : ''}`);

  it('reads the classic builder\'s COPY and ADD steps, relative ones against the WORKDIR before them', () => {
    expect(paths(CLASSIC)).toEqual(['/srv/site/', '/app/', '/etc/app.conf', '/srv/one/']);
    expect(findFilledPaths(CLASSIC)[0]?.step).toBe('COPY dir:d31c763a2d97 in /srv/site');
  });

  it('reads BuildKit\'s steps: flags, JSON form, --from, relative destinations; not RUN, heredocs or the root file system', () => {
    expect(paths(BUILDKIT)).toEqual(['/usr/src/app/', '/usr/src/app/', '/etc/app/', '/srv/site/', '/etc/nginx/nginx.conf', '/usr/src/app/web/public/']);
  });

  it('falls back to the config\'s WorkingDir without WORKDIR steps, and gives up on one it cannot expand', () => {
    expect(paths({ steps: ['', 'COPY app.jar . # buildkit'], workingDir: '/opt', volumes: [] })).toEqual(['/opt/']);
    expect(paths({ steps: ['WORKDIR $HOME', 'COPY . . # buildkit', 'COPY . /abs # buildkit'], workingDir: '', volumes: [] })).toEqual(['/abs/']);
    expect(paths({ steps: ['COPY . $APP_HOME # buildkit'], workingDir: '', volumes: [] })).toEqual([]);
  });
});

describe('bind-hides-image hint', () => {
  const images = new Map<string, ImageHistory>([['example/site:1', CLASSIC], ['example/node-app:1', BUILDKIT]]);

  it('is given for a bind mount on or above a filled directory, at the volume entry\'s line, with the fix', () => {
    const loaded = load('compose.yaml');
    const hints = findHiddenImagePaths(loaded.project, loaded.sources, images);
    expect(hints.map((h) => `${h.line}:${h.column} ${h.message}`)).toEqual([
      '7:9 service "web" bind-mounts ./site over /srv/site, hiding the files image "example/site:1" put at /srv/site (COPY dir:d31c763a2d97 in /srv/site)'
        .replace('./site', resolve(fixture, 'site')),
      `11:9 service "app" bind-mounts ${fixture} over /usr/src/app, hiding the files image "example/node-app:1" put at /usr/src/app (COPY package.json package-lock.json ./)`,
    ]);
    for (const hint of hints) {
      expect(hint).toMatchObject({ code: 'bind-hides-image', file: resolve(fixture, 'compose.yaml') });
      expect(hint.hint).toBe('use a named volume (a new one starts with the image\'s files), mount a subdirectory, or remove the bind mount if the image\'s files are the ones you want');
    }
  });

  it('is not given once fixed: beside the files, a subdirectory, a named volume, one replaced file', () => {
    const loaded = load('fixed.yaml');
    expect(findHiddenImagePaths(loaded.project, loaded.sources, images)).toEqual([]);
  });

  it('names a file the bind mount hides from above', () => {
    const loaded = load('compose.yaml');
    const site: ImageHistory = { steps: ['COPY index.html /srv/site/index.html # buildkit'], workingDir: '', volumes: [] };
    expect(findHiddenImagePaths(loaded.project, loaded.sources, new Map([['example/site:1', site]])).map((h) => h.message))
      .toEqual([expect.stringContaining('put at /srv/site/index.html (under /srv/site) (COPY index.html /srv/site/index.html)')]);
  });

  it('is not given where the image declares a VOLUME (something is meant to be mounted there)', () => {
    const loaded = load('compose.yaml');
    const declared: ImageHistory = { ...CLASSIC, volumes: ['/srv/site'] };
    expect(findHiddenImagePaths(loaded.project, loaded.sources, new Map([['example/site:1', declared]]))).toEqual([]);
  });

  it('needs the image: one the engine does not have (cache\'s) gets no hint, and a file alone gives none', () => {
    const loaded = load('compose.yaml');
    expect(findHiddenImagePaths(loaded.project, loaded.sources, new Map()).length).toBe(0);
    expect(findHints(loaded.project, loaded.sources).filter((h) => h.code === 'bind-hides-image')).toEqual([]);
  });

  it('asks the engine only about images behind bind mounts, and about none without them', () => {
    expect(imagesBehindBindMounts(load('compose.yaml').project)).toEqual(['example/site:1', 'example/node-app:1', 'example/not-pulled:1']);
    const loaded = load('fixed.yaml');
    const noBinds = { ...loaded.project, services: Object.fromEntries(Object.entries(loaded.project.services).map(([k, s]) => [k, { ...s, mounts: s.mounts.filter((m) => m.type !== 'bind') }])) };
    expect(imagesBehindBindMounts(noBinds)).toEqual([]);
  });
});
