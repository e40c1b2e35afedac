/**
 * Declarative scenes for `npm run screens`: a scene file names one page and lists its states; each state
 * says who is looking, what the fake server answers and what is tapped. This module renders each state
 * with the page's real WXML and Vant components and writes what it drew (HTML, the components it uses,
 * the WeChat chrome around it) to SCREENS_OUT for scripts/screens to photograph.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Member } from '../../../miniprogram/services/api-types';
import { memberStore } from '../../../miniprogram/stores/member';
import { fakeServer, fakeUploads, NETWORK_DOWN, ok } from '../../miniprogram/helpers/fake-server';
import { renderPage, settle, settleAnimations, type RenderedPage } from '../../miniprogram/helpers/render';
import { serializePage, tagsIn } from './capture';
import { people } from './fixtures';

export type Role = 'member' | 'teacher' | 'operator';

type Routes = Parameters<typeof fakeServer>[0];
type UploadRoutes = Parameters<typeof fakeUploads>[0];

export interface SceneState {
  /** The file is docs/screens/<page name>-<state name>.png. */
  name: string;
  /** One line for the gallery: what this picture shows. */
  caption: string;
  /** Who looks at it (defaults to the page's role); decides the gallery section and the member logged in. */
  role?: Role;
  /** The member logged in (defaults to the role's person); `login` 'pending' or 'fail' leaves it logging in or failed. */
  as?: Member;
  login?: 'ok' | 'pending' | 'fail';
  /** The fake API: `"GET /cohorts": () => ok({...})` (see test/miniprogram/helpers/fake-server.ts). */
  server?: Routes;
  uploads?: UploadRoutes;
  /** The page's query (onLoad). */
  query?: Record<string, string>;
  /** Extra wx.* stubs the page calls (recorder, canvas, …). */
  wx?: Record<string, unknown>;
  /** Before the page renders: fill stores, set the clock. */
  before?: () => void | Promise<void>;
  /** After it loaded: tap, type, open a popup. */
  act?: (page: RenderedPage) => void | Promise<void>;
  /** Photograph the whole scrolling page instead of the first screen (long content). */
  fullPage?: boolean;
}

export interface PageScenes {
  /** File prefix: `home`, `cohort-checkin`, `teacher-queue`. */
  name: string;
  /** Path under miniprogram/ without extension. */
  page: string;
  /** Gallery heading. */
  title: string;
  role: Role;
  states: SceneState[];
}

/** What scripts/screens needs to draw one state. */
export interface Capture {
  id: string;
  page: string;
  pageTitle: string;
  state: string;
  caption: string;
  role: Role;
  order: number;
  navigation: { title: string; back: boolean; background: string; textStyle: string };
  tabBar: { selected: number } | null;
  html: string;
  /** Custom-component tag -> its files without extension (for the WXSS). */
  components: Record<string, string>;
  fullPage: boolean;
}

const ROOT = path.resolve(__dirname, '../../..');
const MINIPROGRAM = path.join(ROOT, 'miniprogram');
const VANT_LIB = path.join(ROOT, 'node_modules/@vant/weapp/lib');

export const screensOut = () => process.env.SCREENS_OUT ?? path.join(os.tmpdir(), 'checkin-screens');

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Every custom component a page can show, by tag, following usingComponents down through Vant. */
function componentFiles(file: string, into: Record<string, string> = {}): Record<string, string> {
  const { usingComponents = {} } = readJson<{ usingComponents?: Record<string, string> }>(`${file}.json`);
  for (const [tag, request] of Object.entries(usingComponents)) {
    const vant = /^@vant\/weapp\/([\w-]+)\/index$/.exec(request)?.[1];
    const target = vant
      ? path.join(VANT_LIB, vant, 'index')
      : request.startsWith('/')
        ? path.join(MINIPROGRAM, request)
        : path.resolve(path.dirname(file), request);
    if (into[tag]) continue;
    into[tag] = path.relative(ROOT, target);
    componentFiles(target, into);
  }
  return into;
}

interface AppJson {
  window: { navigationBarTitleText?: string; navigationBarBackgroundColor?: string; navigationBarTextStyle?: string };
  tabBar?: { list: { pagePath: string }[] };
}

function navigationOf(page: string) {
  const app = readJson<AppJson>(path.join(MINIPROGRAM, 'app.json'));
  const own = readJson<AppJson['window']>(path.join(MINIPROGRAM, `${page}.json`));
  const setTitle = (wx.setNavigationBarTitle as unknown as jest.Mock).mock?.calls.at(-1)?.[0] as { title?: string } | undefined;
  const selected = app.tabBar?.list.findIndex((tab) => tab.pagePath === page) ?? -1;
  return {
    navigation: {
      title: setTitle?.title ?? own.navigationBarTitleText ?? app.window.navigationBarTitleText ?? '',
      back: selected === -1,
      background: own.navigationBarBackgroundColor ?? app.window.navigationBarBackgroundColor ?? '#ffffff',
      textStyle: own.navigationBarTextStyle ?? app.window.navigationBarTextStyle ?? 'black',
    },
    tabBar: selected === -1 ? null : { selected },
  };
}

const held: Array<() => void> = [];

/**
 * A request held open while the picture is taken (the page stays in its loading state); afterwards it
 * fails as if offline, so nothing waits on it into the next state (a pending login is shared).
 */
export const pending = () => new Promise<typeof NETWORK_DOWN>((resolve) => held.push(() => resolve(NETWORK_DOWN)));
export const offline = (): typeof NETWORK_DOWN => NETWORK_DOWN;

/** The fake API of a state, with the login of its member (answered, held open or failing). */
function routesFor(state: SceneState, role: Role): Routes {
  const member = state.as ?? people[role];
  const login = state.login ?? 'ok';
  return {
    'POST /auth/wechat-login': () => (login === 'pending' ? pending() : login === 'fail' ? NETWORK_DOWN : ok({ token: `token-${member.id}`, member })),
    ...state.server,
  };
}

async function settleFully(): Promise<void> {
  for (let i = 0; i < 4; i++) await settle();
  await settleAnimations();
}

type PageMethods = { onLoad?: (query: Record<string, string>) => unknown; onShow?: () => unknown };

async function capture(scenes: PageScenes, state: SceneState, order: number): Promise<Capture> {
  const role = state.role ?? scenes.role;
  if (state.wx) Object.assign(wx, state.wx);
  fakeServer(routesFor(state, role));
  if (state.uploads) fakeUploads(state.uploads);
  const loggedIn = memberStore.login();
  if ((state.login ?? 'ok') !== 'pending') await loggedIn;
  await state.before?.();

  const page = renderPage(scenes.page);
  const methods = page.instance as unknown as PageMethods;
  void methods.onLoad?.(state.query ?? {});
  void methods.onShow?.();
  await settleFully();
  if (state.act) {
    await state.act(page);
    await settleFully();
  }

  const drawn = drawingOf(page, scenes.page);
  page.detach();
  held.splice(0).forEach((release) => release());
  await settle();

  return {
    id: `${scenes.name}-${state.name}`,
    pageTitle: scenes.title,
    state: state.name,
    caption: state.caption,
    role,
    order,
    ...drawn,
    fullPage: state.fullPage ?? false,
  };
}

export type Drawing = Pick<Capture, 'page' | 'navigation' | 'tabBar' | 'html' | 'components'>;

/** What scripts/screens/frame.js needs to draw a rendered page as it is now. */
export function drawingOf(page: RenderedPage, pageFile: string): Drawing {
  const html = serializePage(page.dom as HTMLElement);
  const files = componentFiles(path.join(MINIPROGRAM, pageFile));
  const components: Record<string, string> = {};
  for (const tag of tagsIn(html)) if (files[tag]) components[tag] = files[tag];
  return { page: pageFile, ...navigationOf(pageFile), html, components };
}

/** Declares the states of one page as tests; each writes `<SCREENS_OUT>/<page>-<state>.json`. */
export function screens(scenes: PageScenes): void {
  afterEach(() => memberStore.logout());

  describe(scenes.title, () => {
    scenes.states.forEach((state, order) => {
      test(`${scenes.name}-${state.name}: ${state.caption}`, async () => {
        const result = await capture(scenes, state, order);
        expect(result.html.replace(/<[^>]+>/g, '').trim()).not.toBe('');
        fs.mkdirSync(screensOut(), { recursive: true });
        fs.writeFileSync(path.join(screensOut(), `${result.id}.json`), JSON.stringify(result));
      });
    });
  });
}
