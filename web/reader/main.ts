import type {
  HomeListQuery,
  HomeListQueryVariables,
  ReferencePageQuery,
  ReferencePageQueryVariables,
  RequestTranslationMutation,
  RequestTranslationMutationVariables,
} from '../../client/generated/graphql';
import homeList from '../../schema/home-list.graphql';
import referencePage from '../../schema/reference-page.graphql';
import requestTranslation from '../../schema/request-translation.graphql';

type Article = NonNullable<ReferencePageQuery['article']>;
type TranslationStatus = Article['translationStatus'];

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

function kind(value: string): string {
  return value.charAt(0) + value.slice(1).toLowerCase();
}

function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function translationBox(article: Article, status: TranslationStatus): HTMLElement {
  const box = el('aside', { class: 'translation', 'aria-labelledby': 'translation-heading' });
  const live = el('p', { class: 'translation-message', role: 'status', 'aria-live': 'polite' });
  const draw = (current: TranslationStatus) => {
    const heading = el('h2', { id: 'translation-heading' });
    box.replaceChildren(heading);
    const readers = (n: number) => `${n} ${n === 1 ? 'reader has' : 'readers have'} asked for it.`;
    switch (current.state) {
      case 'ORIGINAL':
        heading.textContent = 'Original language';
        box.append(el('p', {}, `You are reading this article in its original language, ${languageName(article.language)}.`));
        break;
      case 'AVAILABLE':
        heading.textContent = 'Translation available';
        box.append(el('p', {}, el('a', { href: `/read/${current.translation!.slug}`, hreflang: current.translation!.language }, `Read it in ${languageName(current.translation!.language)}`)));
        break;
      case 'REQUESTED':
      case 'IN_PROGRESS':
        heading.textContent = current.state === 'REQUESTED' ? 'Translation requested' : 'Translation in progress';
        box.append(el('p', { class: 'request-count' }, readers(current.requestCount)));
        break;
      default: {
        heading.textContent = 'Not translated';
        box.append(el('p', {}, 'This content has not yet been translated into your language. You can request a translation by clicking the button below.'));
        const button = el('button', { type: 'button' }, 'Request Translation');
        button.addEventListener('click', async () => {
          button.disabled = true;
          live.textContent = 'Sending your request…';
          try {
            const { requestTranslation: result } = await graphql<RequestTranslationMutation, RequestTranslationMutationVariables>(
              requestTranslation,
              { articleId: article.id, language },
              { 'x-reader-id': readerId() },
            );
            draw({ ...current, state: result.request.state === 'IN_PROGRESS' ? 'IN_PROGRESS' : 'REQUESTED', requestCount: result.request.requestCount });
            live.textContent = result.alreadyRequested ? 'You had already asked for this translation.' : 'Thank you: your request was counted.';
          } catch (err) {
            button.disabled = false;
            live.textContent = `The request did not go through: ${(err as Error).message}`;
          }
        });
        box.append(button);
      }
    }
    box.append(live);
  };
  draw(status);
  return box;
}

function articlePage(article: Article): HTMLElement {
  document.title = `${article.displayTitle ?? article.title} | ${article.publication?.name ?? 'Archive'}`;
  document.documentElement.lang = article.language;
  const header = el(
    'header',
    {},
    el('p', { class: 'section' }, article.section ?? ''),
    el('h1', {}, article.displayTitle ?? article.title),
    el('p', { class: 'meta' }, date(article.publishedAt)),
  );
  const parts: HTMLElement[] = [header];
  if (article.heroImage) {
    // The credit comes from the gateway already escaped, with only http(s) links in it.
    const credit = el('figcaption', { class: 'credit' });
    credit.innerHTML = article.heroImage.credit.html;
    parts.push(el('figure', { class: 'hero' }, credit));
  }
  parts.push(el('div', { class: 'body' }, ...(article.body ?? []).map((p) => el('p', {}, p))));
  if (article.license) {
    const name = article.license.url ? el('a', { href: article.license.url, rel: 'license' }, article.license.name) : article.license.name;
    parts.push(el('p', { class: 'license' }, 'This article is licensed under a ', name, '.'));
  }
  parts.push(translationBox(article, article.translationStatus));
  if (article.related.length > 0) {
    parts.push(
      el(
        'section',
        { class: 'related', 'aria-labelledby': 'related-heading' },
        el('h2', { id: 'related-heading' }, 'You may also like'),
        el(
          'ul',
          {},
          ...article.related.map((r) =>
            el(
              'li',
              {},
              el('p', { class: 'meta' }, date(r.publishedAt, true), ' ', el('span', { class: 'kind' }, kind(r.kind))),
              el('h3', {}, el('a', { href: `/read/${r.slug}` }, r.title)),
              el('p', {}, r.summary ?? ''),
            ),
          ),
        ),
      ),
    );
  }
  return el('article', {}, ...parts);
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
  const match = /^\/read\/([^/]+)\/?$/.exec(location.pathname);
  try {
    if (match) {
      const { article } = await graphql<ReferencePageQuery, ReferencePageQueryVariables>(referencePage, { slug: decodeURIComponent(match[1]), language });
      app.replaceChildren(article ? articlePage(article) : el('h1', {}, 'No such article'));
    } else {
      app.replaceChildren(homePage(await graphql<HomeListQuery, HomeListQueryVariables>(homeList, { first: 20, language })));
    }
  } catch (err) {
    app.replaceChildren(el('h1', {}, 'The archive could not be reached'), el('p', {}, (err as Error).message));
  }
  app.setAttribute('aria-busy', 'false');
}

void main();
