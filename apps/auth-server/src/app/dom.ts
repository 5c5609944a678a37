/** Attributes of {@link h}: DOM properties/attributes, `testid` (→ data-testid), `on*` listeners. */
export type Attrs = Record<string, string | number | boolean | undefined | null | ((event: Event) => void)>;
export type Child = Node | string | number | null | undefined | false | Child[];

/**
 * A tiny hyperscript: builds an element with attributes, `data-testid` (`testid`), listeners (`onclick`)
 * and children. Text is always set as text (never HTML), so nothing a dapp sends can inject markup.
 *
 * @example
 * ```ts
 * h('button', { testid: 'approve', class: 'primary', onclick: () => approve() }, 'Approve');
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value as EventListener);
    else if (name === 'testid') element.dataset.testid = String(value);
    else if (name === 'class') element.className = String(value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the page's content with `screen`. @example `show(signInScreen(...))` */
export function show(screen: HTMLElement): void {
  const root = document.getElementById('app');
  if (!root) return;
  root.replaceChildren(screen);
  const focus = screen.querySelector<HTMLElement>('[autofocus], button.primary');
  focus?.focus();
}

/** Disables every button of a screen while its action runs (a double click must not send twice). */
export function busy(screen: HTMLElement, on: boolean): void {
  screen.querySelectorAll('button').forEach((button) => {
    button.disabled = on;
  });
}
