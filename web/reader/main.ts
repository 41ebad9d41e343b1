import type {
  HomeListQuery,
  HomeListQueryVariables,
  RequestTranslationMutation,
  RequestTranslationMutationVariables,
} from '../../client/generated/graphql';
import homeList from '../../schema/home-list.graphql';
import requestTranslation from '../../schema/request-translation.graphql';

const app = document.getElementById('app')!;
const language = navigator.language || 'en';

/** One anonymous reader per browser, so that asking twice counts once. */
function readerId(): string {
  let id = localStorage.getItem('reader-id');
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem('reader-id', id);
  }
  return id;
}

async function graphql<T, V>(query: string, variables: V, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!result.data || result.errors) throw new Error(result.errors?.map((e) => e.message).join(' ') ?? `HTTP ${response.status}`);
  return result.data;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function date(iso: string | null | undefined, upper = false): HTMLTimeElement | string {
  if (!iso) return '';
  const text = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
  return el('time', { datetime: iso }, upper ? text.toUpperCase() : text);
}

function readersAsked(n: number): string {
  return `${n} ${n === 1 ? 'reader has' : 'readers have'} asked for it.`;
}

/**
 * The server draws the article with a form in its translation box; sent from here, the request
 * keeps the reader on the page and only the box changes.
 */
function enhanceTranslationForm(form: HTMLFormElement): void {
  const box = form.closest('.translation') as HTMLElement;
  const live = box.querySelector('.translation-message') as HTMLElement;
  const button = form.querySelector('button') as HTMLButtonElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    live.textContent = 'Sending your request…';
    try {
      const data = new FormData(form);
      const { requestTranslation: result } = await graphql<RequestTranslationMutation, RequestTranslationMutationVariables>(
        requestTranslation,
        { articleId: String(data.get('articleId')), language: String(data.get('language')) },
        { 'x-reader-id': readerId() },
      );
      const heading = el('h2', { id: 'translation-heading' }, result.request.state === 'IN_PROGRESS' ? 'Translation in progress' : 'Translation requested');
      box.replaceChildren(heading, el('p', { class: 'request-count' }, readersAsked(result.request.requestCount)), live);
      live.textContent = result.alreadyRequested ? 'You had already asked for this translation.' : 'Thank you: your request was counted.';
    } catch (err) {
      button.disabled = false;
      live.textContent = `The request did not go through: ${(err as Error).message}`;
    }
  });
}

function homePage(data: HomeListQuery): HTMLElement {
  document.title = 'Newest articles';
  return el(
    'section',
    { 'aria-labelledby': 'home-heading' },
    el('h1', { id: 'home-heading' }, 'Newest articles'),
    el(
      'ul',
      { class: 'articles' },
      ...data.articles.edges.map(({ node }) =>
        el('li', {}, el('h2', {}, el('a', { href: `/read/${node.slug}` }, node.title)), el('p', { class: 'meta' }, node.section ?? '', ' ', date(node.publishedAt))),
      ),
    ),
  );
}

async function main(): Promise<void> {
  const form = document.querySelector<HTMLFormElement>('form.request-translation');
  if (form) enhanceTranslationForm(form);
  if (location.pathname !== '/') return;
  try {
    app.replaceChildren(homePage(await graphql<HomeListQuery, HomeListQueryVariables>(homeList, { first: 20, language })));
  } catch (err) {
    app.replaceChildren(el('h1', {}, 'The archive could not be reached'), el('p', {}, (err as Error).message));
  }
  app.setAttribute('aria-busy', 'false');
}

void main();
